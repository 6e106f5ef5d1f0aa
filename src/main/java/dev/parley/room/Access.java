package dev.parley.room;

import java.util.Locale;
import java.util.Optional;

/** Who may join a room: anybody, whoever knows its password, or only those an owner or moderator invites. */
public enum Access {
    PUBLIC, PASSWORD, INVITE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Access> fromWire(String wire) {
        for (Access access : values()) {
            if (access.wire().equals(wire)) {
                return Optional.of(access);
            }
        }
        return Optional.empty();
    }
}
