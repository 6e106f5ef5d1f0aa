package dev.parley.security;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import java.time.Clock;
import java.util.concurrent.Semaphore;

/**
 * Room passwords checked a few at a time on a node, and a few a minute for each client address and room. A
 * check costs a slow hash (PBKDF2 of 210,000 rounds: tens of milliseconds of a core), and anybody may send 20
 * joins a second: unbounded, wrong passwords could take every core and every worker thread, and guess a short
 * password in seconds. A check past a bound is refused at once rather than queued, since a waiting check would
 * hold its connection's thread.
 */
public final class PasswordChecks {

    /** Half the cores, so that password checks never take the whole node from the chat. */
    public static final int AT_ONCE = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    /** Checks of one room's password from one address (IPv6: /64) in any minute: a person mistypes a few. */
    public static final int PER_ADDRESS_AND_ROOM = 10;

    private final PasswordHasher hasher;
    private final int atOnce;
    private final Semaphore free;
    private final AddressLimiter guesses = new AddressLimiter(PER_ADDRESS_AND_ROOM);
    private final Clock clock;

    public PasswordChecks(PasswordHasher hasher, int atOnce, Clock clock) {
        this.hasher = hasher;
        this.atOnce = atOnce;
        this.free = new Semaphore(atOnce);
        this.clock = clock;
    }

    /**
     * Whether the password given from the address matches the room's hash, as {@link PasswordHasher#matches}.
     *
     * @throws ChatException {@code rate_limited} when the address used up its checks of the room's password for
     *         the minute, or as many checks as allowed are running
     */
    public boolean matches(String address, String room, String password, String hash) {
        if (!guesses.tryOpen(address, room, clock.millis())) {
            throw new ChatException(ErrorCode.RATE_LIMITED, "more than " + PER_ADDRESS_AND_ROOM + " passwords for "
                    + room + " from your address in a minute: try again later");
        }
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
