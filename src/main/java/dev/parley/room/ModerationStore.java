package dev.parley.room;

import java.util.Optional;

/** Who runs a room and who is kept out of it. Every method is one transaction. */
public interface ModerationStore {

    /** The user's role in the room; empty when not a member (or no such room). */
    Optional<Role> roleOf(String room, String user);

    /** @param passwordHash the new password's hash for {@link Access#PASSWORD}, null otherwise */
    void setAccess(String room, Access access, String passwordHash);

    enum InviteOutcome { ADDED, ALREADY_MEMBER, BANNED }

    /** @param room the room as the new member sees it, when {@code ADDED} */
    record Invited(InviteOutcome outcome, RoomStore.RoomView room) {
    }

    /** Makes the user a member (role member) regardless of the room's access, unless banned. */
    Invited invite(String room, String user);

    /** @return false when the user is not a member */
    boolean setRole(String room, String user, Role role);

    /** Ends the user's membership, if any, and keeps them out until {@link #unban}. */
    void ban(String room, String user, String by);

    /** @return whether the user was banned */
    boolean unban(String room, String user);
}
