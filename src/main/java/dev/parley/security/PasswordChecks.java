package dev.parley.security;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import java.time.Clock;
import java.util.concurrent.Semaphore;

/**
 * Room passwords hashed and checked a few at a time on a node, and checked a few times a minute for each user
 * and room and each client address and room. A hash is slow (PBKDF2 of 210,000 rounds: tens of milliseconds of
 * a core), and anybody may send 20 joins a second: unbounded, wrong passwords could take every core and every
 * worker thread, and guess a short password in seconds. A hash past the bound is refused at once rather than
 * queued, since a waiting one would hold its connection's thread.
 */
public final class PasswordChecks {

    /** Half the cores, so that password hashes never take the whole node from the chat. */
    public static final int AT_ONCE = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    /** Checks of one room's password by one user in any minute: a person mistypes a few. */
    public static final int PER_USER_AND_ROOM = 10;

    private final PasswordHasher hasher;
    private final int atOnce;
    private final Semaphore free;
    /** Counted like an address's (a user name has no colon, so it is taken as it is). */
    private final AddressLimiter byUser = new AddressLimiter(PER_USER_AND_ROOM);
    private final int perAddress;
    private final AddressLimiter byAddress;
    private final Clock clock;

    /** @param perAddress checks of one room's password from one address (IPv6: /64) in any minute */
    public PasswordChecks(PasswordHasher hasher, int atOnce, int perAddress, Clock clock) {
        this.hasher = hasher;
        this.atOnce = atOnce;
        this.free = new Semaphore(atOnce);
        this.perAddress = perAddress;
        this.byAddress = new AddressLimiter(perAddress);
        this.clock = clock;
    }

    /**
     * The hash of a room's new password, as {@link PasswordHasher#hash}.
     *
     * @throws ChatException {@code rate_limited} when as many hashes as allowed are running
     */
    public String hash(String password) {
        takeTurn();
        try {
            return hasher.hash(password);
        } finally {
            free.release();
        }
    }

    /**
     * Whether the password that the user gave from the address matches the room's hash, as
     * {@link PasswordHasher#matches}. A check refused for a busy node does not count against either budget.
     *
     * @throws ChatException {@code rate_limited} when the user or the address used up its checks of the room's
     *         password for the minute, or as many hashes as allowed are running
     */
    public boolean matches(String user, String address, String room, String password, String hash) {
        takeTurn();
        try {
            long now = clock.millis();
            if (!byUser.tryOpen(user, room, now)) {
                throw new ChatException(ErrorCode.RATE_LIMITED, "more than " + PER_USER_AND_ROOM + " passwords for "
                        + room + " from you in a minute: try again later");
            }
            if (!byAddress.tryOpen(address, room, now)) {
                throw new ChatException(ErrorCode.RATE_LIMITED, "more than " + perAddress + " passwords for " + room
                        + " from your address in a minute: try again later");
            }
            return hasher.matches(password, hash);
        } finally {
            free.release();
        }
    }

    /** The hashes running now. */
    public int running() {
        return atOnce - free.availablePermits();
    }

    private void takeTurn() {
        if (!free.tryAcquire()) {
            throw new ChatException(ErrorCode.RATE_LIMITED, "too many passwords are being checked on this server: "
                    + "try again in a moment");
        }
    }
}
