package dev.parley.room;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Who runs a room and who is kept out of it. Every method is one transaction. */
public interface ModerationStore {

    /** Whether the room is a direct conversation, which nobody runs: no access, roles, invites or bans. */
    boolean isDirect(String room);

    /** The user's role in the room; empty when not a member (or no such room). */
    Optional<Role> roleOf(String room, String user);

    /**
     * Whether the user made the room: its owner whenever a member, also after leaving (a join or invite makes
     * them its owner again), and nobody bans them from it. Never in a direct conversation.
     */
    boolean isOwner(String room, String user);

    /** @param passwordHash the new password's hash for {@link Access#PASSWORD}, null otherwise */
    void setAccess(String room, Access access, String passwordHash);

    enum InviteOutcome { ADDED, ALREADY_MEMBER, BANNED, ARCHIVED }

    /**
     * @param room the room as the new member sees it, when {@code ADDED}
     * @param role what the new member is, when {@code ADDED}: the room's owner, invited back, is its owner
     */
    record Invited(InviteOutcome outcome, RoomStore.RoomView room, Role role) {

        public static Invited not(InviteOutcome outcome) {
            return new Invited(outcome, null, null);
        }
    }

    /**
     * Makes the user a member regardless of the room's access, unless banned or archived: as a member, or as the
     * owner again when it is the room's owner who comes back.
     *
     * @throws dev.parley.protocol.ChatException {@code conflict} when the user is in {@link RoomsPerUser} rooms
     */
    Invited invite(String room, String user);

    /**
     * The owner {@code by} makes member {@code user} a moderator or a member again. Who owns the room is read
     * under its lock, as a hand-over changes it: a change asked of an owner who gave the room away meanwhile is
     * refused.
     *
     * @return false when the user is not a member (or there is no such room)
     * @throws dev.parley.protocol.ChatException {@code forbidden} when {@code by} does not own the room
     */
    boolean setRole(String room, String by, String user, Role role);

    /**
     * Makes member {@code to} the room's owner; who owned it until then stays on as a moderator, when a member.
     *
     * @param from the owner who gives the room, checked under the room's lock (of two hand-overs at once, one
     *        gives it away); null when an administrator gives it, from whoever owns it
     * @throws dev.parley.protocol.ChatException {@code not_found} when there is no such room or {@code to} is not
     *         a member, {@code forbidden} when {@code from} does not own it, {@code conflict} when {@code to} owns
     *         it already or the room is a direct conversation (which nobody owns)
     */
    HandedOver handOver(String room, String from, String to);

    /** A room given away: who owned it, and whether they are a moderator of it now (or were not a member). */
    record HandedOver(String from, boolean fromStays) {
    }

    /** Ends the user's membership without keeping them out. @return whether they were a member */
    boolean kick(String room, String user);

    /**
     * Ends the user's membership, if any, and keeps them out until {@link #unban}: a join or invite of the user
     * decided meanwhile does not leave them a member.
     */
    void ban(String room, String user, String by);

    /** @return whether the user was banned */
    boolean unban(String room, String user);

    /** The most invitation links a room has in force: each is a way in, and the owner should know them all. */
    int MAX_LINKS = 100;

    /**
     * Stores an invitation link of the room, in force until {@code expires}; those that expired before
     * {@code now} go.
     *
     * @throws dev.parley.protocol.ChatException {@code not_found} when there is no such room, {@code forbidden}
     *         when it is archived, {@code conflict} when it has {@link #MAX_LINKS} links in force
     */
    void addLink(String room, String code, String by, Instant now, Instant expires);

    /** The room whose link {@code code} is, when it is in force at {@code now}. */
    Optional<String> roomOfLink(String code, Instant now);

    /** Ends every link of the room; those that expired before {@code now} go too. @return how many were in force */
    int removeLinks(String room, Instant now);

    /** An invitation link: its code, who made it, and when it ends. */
    record RoomLink(String code, String by, Instant expires) {
    }

    /** The room's links in force at {@code now}, the last to end first. */
    List<RoomLink> linksOf(String room, Instant now);

    /** Ends the room's link {@code code}. @return whether it was one of the room's links in force at {@code now} */
    boolean removeLink(String room, String code, Instant now);

    /** Who banned the user from the room; empty when the user is not banned there. */
    Optional<String> bannedBy(String room, String user);

    /** A member muted in a room: reads, does not send, until {@code until} (null: until unmuted). */
    record Mute(String room, String user, Instant until, String by, Instant at) {

        public boolean inForce(Instant now) {
            return until == null || now.isBefore(until);
        }
    }

    /** Stores the mute, replacing the member's earlier one in that room. */
    void mute(Mute mute);

    /** @return the user's mute there that was removed, lapsed or not */
    Optional<Mute> unmute(String room, String user);

    /**
     * The room mutes in force at that time. A lapsed one stays stored until the member is muted or unmuted
     * there again, but is not read: the mutes of years would otherwise be read every few seconds.
     */
    List<Mute> mutesInForce(Instant at);
}
