package dev.parley.security;

import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The node's turns at a slow password hash (PBKDF2 of 210,000 rounds: tens of milliseconds of a core). Anybody
 * may ask for one, with a login, a registration, a new password or a room's password: unbounded, they could take
 * every core and every worker thread from the chat. Past the turns a hash is refused at once rather than queued,
 * since a waiting one would hold its thread.
 */
public final class HashTurns {

    /** Half the cores, so that password hashes never take the whole node from the chat. */
    public static final int HALF_THE_CORES = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    private final int size;
    private final Semaphore free;

    public HashTurns(int size) {
        this.size = size;
        this.free = new Semaphore(size);
    }

    /** What {@code work} answers (never null), in a turn; empty, without running it, when every turn is taken. */
    public <T> Optional<T> tryRun(Supplier<T> work) {
        if (!free.tryAcquire()) {
            return Optional.empty();
        }
        try {
            return Optional.of(work.get());
        } finally {
            free.release();
        }
    }

    /** The turns taken now. */
    public int running() {
        return size - free.availablePermits();
    }
}
