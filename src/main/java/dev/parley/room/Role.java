package dev.parley.room;

import java.util.Locale;

/** A member's standing in one room, highest first. */
public enum Role {
    OWNER, MODERATOR, MEMBER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Owners and moderators run the room: they invite, ban and unban. */
    public boolean moderates() {
        return this != MEMBER;
    }

    /** Whether this role may act on (ban) a member of that role: only on those below it. */
    public boolean outranks(Role other) {
        return compareTo(other) < 0;
    }
}
