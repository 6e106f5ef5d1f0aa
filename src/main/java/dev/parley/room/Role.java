package dev.parley.room;

import java.util.Locale;

/** A member's standing in one room. */
public enum Role {
    OWNER, MODERATOR, MEMBER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
