package dev.parley.security;

import java.time.Instant;
import java.util.Locale;

/**
 * A server-wide measure an operator took against a user: muted (reads, cannot send) or banned (cannot
 * connect), until {@code until} or, when that is null, until lifted.
 */
public record Sanction(String user, Kind kind, Instant until, String by, Instant at) {

    public enum Kind {
        MUTE, BAN;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean inForce(Instant now) {
        return until == null || now.isBefore(until);
    }
}
