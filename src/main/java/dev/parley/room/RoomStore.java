package dev.parley.room;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Durable rooms and memberships. Every method is one transaction. */
public interface RoomStore {

    /** A room as a member sees it: its latest seq, the epoch that seq belongs to, its topic (null: none). */
    record RoomView(String name, long seq, String epoch, String topic, boolean archived) {
    }

    /**
     * One of a user's rooms, with the user's markers: {@code acked}, the highest seq acked (what the user's
     * devices have), and {@code read}, the seq the user read up to (see {@link Ack}); {@code with}: see
     * {@link #direct}; {@code archived}: the room is read-only.
     */
    record MemberRoom(String room, long seq, String epoch, long acked, long read, String with, String topic,
                      boolean archived) {

        /** How many seqs the read marker is behind the room's: events among them, not only lines to read. */
        public long behind() {
            return Math.max(0, seq - read);
        }
    }

    /** Why a user who is not a member may not join, or may not create the room. */
    enum Refusal { BANNED, WRONG_PASSWORD, INVITE_ONLY, ARCHIVED, TOO_MANY_NEW_ROOMS }

    /** Decides, inside the join's transaction, whether a user who is not a member yet may join or create the room. */
    interface Gate {
        /** @return null to let the user into the room */
        Refusal check(Access access, String passwordHash, boolean banned);

        /** @return null to let the user create the room, a name nobody has taken */
        Refusal create();
    }

    /** @param refusal null when the user is a member now; otherwise nothing was changed */
    record JoinResult(RoomView room, Role role, boolean newMember, Refusal refusal) {

        public static JoinResult refused(Refusal refusal) {
            return new JoinResult(null, null, false, refusal);
        }
    }

    /**
     * Makes {@code user} a member if the gate lets them in, creating the room (public, the user its owner)
     * when it does not exist and the gate lets them create it (asked after the cap on the user's rooms).
     * Existing members pass without the gate; nobody new joins an archived room. A join and a ban of the same
     * room do not interleave: a join decided while a ban is made sees the ban.
     *
     * @throws dev.parley.protocol.ChatException when the user is in {@link RoomsPerUser} rooms already
     */
    JoinResult join(String room, String user, Gate gate);

    /** The room's password hash, when it is a password room (checked outside the join's transaction). */
    Optional<String> passwordHash(String room);

    /** @return whether the user was a member */
    boolean leave(String room, String user);

    /** The direct conversation as {@link #direct} left it: who was added now (either may have left before). */
    record Direct(RoomView room, boolean userAdded, boolean peerAdded) {
    }

    /**
     * The direct conversation of {@code user} and {@code peer} in room {@code room}: made (invite-only, the two
     * its only members) the first time, and both made members again if one had left.
     *
     * @throws dev.parley.protocol.ChatException {@code conflict} when {@code room} exists and is not theirs, and
     *         {@link RoomsPerUser#refusal} when one of the two would be added past the cap
     */
    Direct direct(String room, String user, String peer);

    List<MemberRoom> roomsOf(String user);

    /** The names of the rooms each of the users is a member of; a user of none is left out. */
    Map<String, Set<String>> roomNamesOf(Collection<String> users);

    /** A room as operators see it. */
    record RoomSummary(String name, long seq, String owner, Access access, long members, boolean archived,
                       String topic) {
    }

    /** Every room, by name. */
    List<RoomSummary> all();

    /** A room anybody may find and join (public or with a password), with how many members it has. */
    record Listing(String name, Access access, long members, String topic) {
    }

    /**
     * The rooms of the directory: public and password rooms, not archived (invite-only rooms and direct
     * conversations are not listed), whose names start with {@code prefix} in any case ("" for all), after the
     * name {@code after} (null: from the first), in the order of their names; at most {@code limit}.
     */
    List<Listing> directory(String prefix, String after, int limit);

    /** One room as {@link #all} has it, read alone. */
    Optional<RoomSummary> summary(String room);

    /** A member and their role. */
    record Member(String user, Role role) {
    }

    /** The room's members by name; empty when there is no such room. */
    List<Member> members(String room);

    /** Moves each user's markers up to the ack's, never down; all in one transaction. */
    void ack(List<Ack> acks);

    /**
     * A user's markers in a room: they have every message up to {@code seq} and read them up to {@code read}
     * (at most {@code seq}: a client that shows rooms one at a time has more than the person has seen).
     */
    record Ack(String room, String user, long seq, long read) {
    }
}
