package dev.parley.security;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Logins, registrations and new passwords, each of which hashes a password: in the node's {@link HashTurns}, and
 * a few a minute from each client address (IPv6: /64). Without them one client could guess a password as fast
 * as the node hashes, and keep its cores from the chat. Every request with the fields its operation needs
 * counts, one with a bad name or password too (it asks for the same answer); none is counted that lacks one
 * (the client's mistake, answered 400) or that a busy node turned away. The
 * account's reads and writes are made in the turn too (milliseconds; a database that stalls holds the turn).
 * There is no count per account: it would let anybody lock anybody out.
 */
public final class LoginAttempts {

    /** Why an attempt was not made. */
    public enum Refusal { TOO_MANY, BUSY }

    /** The attempt's answer, or why it was not made: exactly one of the two. */
    public record Attempt<T>(T answer, Refusal refusal) {
    }

    private final HashTurns turns;
    private final int perAddress;
    private final AddressLimiter byAddress;
    private final Clock clock;

    /** @param perAddress attempts from one address in any 60 seconds */
    public LoginAttempts(HashTurns turns, int perAddress, Clock clock) {
        this.turns = turns;
        this.perAddress = perAddress;
        this.byAddress = new AddressLimiter(perAddress);
        this.clock = clock;
    }

    /** Makes the attempt from the address, if its budget and the node allow it. */
    public <T> Attempt<T> attempt(String address, Supplier<T> work) {
        Optional<Attempt<T>> made = turns.tryRun(() -> byAddress.tryOpen(address, clock.millis())
                ? new Attempt<>(work.get(), null) : new Attempt<>(null, Refusal.TOO_MANY));
        return made.orElseGet(() -> new Attempt<>(null, Refusal.BUSY));
    }

    /** Attempts one address may make in any 60 seconds. */
    public int perAddress() {
        return perAddress;
    }
}
