package dev.parley.cluster;

/**
 * Something that happened in a room and must reach the room's live connections on every node. Frames
 * travel already encoded, so that a message is turned into JSON once, not once per recipient or node; the
 * event itself crosses the grid as JSON text ({@link RoomEvents}).
 */
public sealed interface RoomEvent {

    String room();

    /**
     * A stored message: {@code json} for everybody, {@code senderJson} (which adds the client message id)
     * for the connections of {@code from}; hidden from those who blocked {@code from} when {@code hideable}.
     */
    record Posted(String room, long seq, String from, String json, String senderJson, boolean hideable)
            implements RoomEvent {

        public Posted(String room, long seq, String from, String json, String senderJson) {
            this(room, seq, from, json, senderJson, true);
        }
    }

    /** An unstored frame (presence, typing) for the room's connections, except those of {@code exceptUser}. */
    record Broadcast(String room, String json, String exceptUser) implements RoomEvent {
    }

    /**
     * {@code user} became a member of the room ({@code joined}, when the room's seq was {@code seq}) or
     * stopped being one. {@code notice}, when not null, is a frame for the user's own connections: how they
     * learn that somebody else invited or banned them, or that they joined or left on another device; the
     * connection {@code exceptConnection} (the one that asked, answered already) does not get it.
     */
    record Membership(String room, String user, boolean joined, long seq, String notice, String exceptConnection)
            implements RoomEvent {

        public Membership(String room, String user, boolean joined, long seq, String notice) {
            this(room, user, joined, seq, notice, null);
        }
    }
}
