package dev.parley.security;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Room passwords hashed and checked in the node's {@link HashTurns}, and checked a few times a minute for each
 * user and room and each client address and room: anybody may send 20 joins a second, which would guess a short
 * password in seconds.
 */
public final class PasswordChecks {

    /** Checks of one room's password by one user in any minute: a person mistypes a few. */
    public static final int PER_USER_AND_ROOM = 10;

    private final PasswordHasher hasher;
    private final HashTurns turns;
    /** Counted like an address's (a user name has no colon, so it is taken as it is). */
    private final AddressLimiter byUser = new AddressLimiter(PER_USER_AND_ROOM);
    private final int perAddress;
    private final AddressLimiter byAddress;
    private final Clock clock;

    /** @param perAddress checks of one room's password from one address (IPv6: /64) in any minute */
    public PasswordChecks(PasswordHasher hasher, HashTurns turns, int perAddress, Clock clock) {
        this.hasher = hasher;
        this.turns = turns;
        this.perAddress = perAddress;
        this.byAddress = new AddressLimiter(perAddress);
        this.clock = clock;
    }

    /**
     * The hash of a room's new password, as {@link PasswordHasher#hash}.
     *
     * @throws ChatException {@code rate_limited} when every turn at hashing is taken
     */
    public String hash(String password) {
        return inTurn(() -> hasher.hash(password));
    }

    /**
     * Whether the password that the user gave from the address matches the room's hash, as
     * {@link PasswordHasher#matches}. A check refused for a busy node does not count against either budget.
     *
     * @throws ChatException {@code rate_limited} when the user or the address used up its checks of the room's
     *         password for the minute, or every turn at hashing is taken
     */
    public boolean matches(String user, String address, String room, String password, String hash) {
        return inTurn(() -> {
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
        });
    }

    private <T> T inTurn(Supplier<T> work) {
        return turns.tryRun(work).orElseThrow(() -> new ChatException(ErrorCode.RATE_LIMITED,
                "too many passwords are being checked on this server: try again in a moment"));
    }
}
