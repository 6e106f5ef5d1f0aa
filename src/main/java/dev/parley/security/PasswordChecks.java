package dev.parley.security;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import java.util.concurrent.Semaphore;

/**
 * Room passwords checked a few at a time on a node. A check costs a slow hash (PBKDF2 of 210,000 rounds: tens of
 * milliseconds of a core), and anybody may send 20 joins a second: unbounded, wrong passwords could take every
 * core and every worker thread. A check past the bound is refused at once rather than queued, since
 * a waiting check would hold its connection's thread.
 */
public final class PasswordChecks {

    /** Half the cores, so that password checks never take the whole node from the chat. */
    public static final int AT_ONCE = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    private final PasswordHasher hasher;
    private final int atOnce;
    private final Semaphore free;

    public PasswordChecks(PasswordHasher hasher, int atOnce) {
        this.hasher = hasher;
        this.atOnce = atOnce;
        this.free = new Semaphore(atOnce);
    }

    /**
     * Whether the password matches the hash, as {@link PasswordHasher#matches}.
     *
     * @throws ChatException {@code rate_limited} when as many checks as allowed are running
     */
    public boolean matches(String password, String hash) {
        if (!free.tryAcquire()) {
            throw new ChatException(ErrorCode.RATE_LIMITED, "too many passwords are being checked on this server: "
                    + "try again in a moment");
        }
        try {
            return hasher.matches(password, hash);
        } finally {
            free.release();
        }
    }

    /** The checks running now. */
    public int running() {
        return atOnce - free.availablePermits();
    }
}
