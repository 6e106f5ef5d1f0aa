package dev.parley.room;

import java.util.List;

/** Durable rooms and memberships. Every method is one transaction. */
public interface RoomStore {

    /** A room as a member sees it: its latest seq and the epoch that seq belongs to. */
    record RoomView(String name, long seq, String epoch) {
    }

    /** One of a user's rooms, with the user's read marker (highest acked seq). */
    record MemberRoom(String room, long seq, String epoch, long acked) {

        public long unread() {
            return Math.max(0, seq - acked);
        }
    }

    record JoinResult(RoomView room, Role role, boolean newMember) {
    }

    /** Makes {@code user} a member, creating the room (public, the user its owner) when it does not exist. */
    JoinResult join(String room, String user);

    /** @return whether the user was a member */
    boolean leave(String room, String user);

    List<MemberRoom> roomsOf(String user);

    /** Moves the user's read marker up to {@code seq}; never down. */
    void ack(String room, String user, long seq);
}
