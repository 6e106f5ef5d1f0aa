package dev.parley.protocol;

import jakarta.json.bind.annotation.JsonbSubtype;
import jakarta.json.bind.annotation.JsonbTypeInfo;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A frame the server sends; the JSON key {@code type} names the record. Absent optional fields are left out. */
@JsonbTypeInfo(key = "type", value = {
    @JsonbSubtype(alias = "welcome", type = ServerFrame.Welcome.class),
    @JsonbSubtype(alias = "joined", type = ServerFrame.Joined.class),
    @JsonbSubtype(alias = "left", type = ServerFrame.Left.class),
    @JsonbSubtype(alias = "message", type = ServerFrame.Message.class),
    @JsonbSubtype(alias = "receipt", type = ServerFrame.Receipt.class),
    @JsonbSubtype(alias = "messages", type = ServerFrame.Messages.class),
    @JsonbSubtype(alias = "synced", type = ServerFrame.Synced.class),
    @JsonbSubtype(alias = "presence", type = ServerFrame.Presence.class),
    @JsonbSubtype(alias = "typing", type = ServerFrame.Typing.class),
    @JsonbSubtype(alias = "role", type = ServerFrame.RoleChanged.class),
    @JsonbSubtype(alias = "archived", type = ServerFrame.Archived.class),
    @JsonbSubtype(alias = "pong", type = ServerFrame.Pong.class),
    @JsonbSubtype(alias = "error", type = ServerFrame.Error.class),
    @JsonbSubtype(alias = "ok", type = ServerFrame.Ok.class),
    @JsonbSubtype(alias = "members", type = ServerFrame.Members.class),
    @JsonbSubtype(alias = "directory", type = ServerFrame.Directory.class),
    @JsonbSubtype(alias = "found", type = ServerFrame.Found.class),
    @JsonbSubtype(alias = "pins", type = ServerFrame.Pins.class),
    @JsonbSubtype(alias = "link", type = ServerFrame.Link.class),
    @JsonbSubtype(alias = "links", type = ServerFrame.Links.class),
    @JsonbSubtype(alias = "read", type = ServerFrame.Read.class)
})
public sealed interface ServerFrame {

    /** A flag as frames carry it: true, or absent (null is left out), never false. */
    static Boolean trueOrAbsent(boolean flag) {
        return flag ? Boolean.TRUE : null;
    }

    /**
     * One of the user's rooms in {@code welcome}: {@code read} is the user's read marker, the seq read up to;
     * {@code unread} counts the lines after it that others wrote, {@code mentions} those naming the user;
     * {@code with}, in a direct conversation only, names the other person; {@code topic} is absent in a room
     * without one; {@code archived} true when the room is archived (read-only), absent otherwise.
     */
    record RoomState(String room, long seq, String epoch, long unread, long read, long mentions, String with,
                     String topic, Boolean archived) {
    }

    /**
     * {@code heartbeat}: seconds between the client's pings; {@code editSeconds}: how long after sending its sender
     * may edit a message, so that a client offers editing only while the server takes it.
     */
    record Welcome(String ref, String user, String session, int heartbeat, long editSeconds, List<RoomState> rooms)
            implements ServerFrame {
    }

    /**
     * {@code with} is set in a direct conversation only: the other person; {@code topic} when the room has one;
     * {@code archived} true when the room is archived (read-only), absent otherwise.
     */
    record Joined(String ref, String room, long seq, String epoch, String role, List<String> online, String with,
                  String topic, Boolean archived) implements ServerFrame {

        /** As the user's other connections get it: not the answer to a frame of theirs. */
        public Joined withoutRef() {
            return new Joined(null, room, seq, epoch, role, online, with, topic, archived);
        }
    }

    /**
     * {@code reason} is absent after the user's own {@code leave} (on this or another connection), {@code banned}
     * after a ban, {@code kicked} after a kick or an administrator's removal.
     */
    record Left(String ref, String room, String reason) implements ServerFrame {
        public static final String BANNED = "banned";
        public static final String KICKED = "kicked";
    }

    /** The reply to a room administration frame ({@code access}, {@code invite}, {@code role}, {@code ban}, ...). */
    record Ok(String ref, String room) implements ServerFrame {
    }

    /**
     * A stored message; {@code clientMsgId} is set only on the copy for the sender's own connections,
     * {@code target} only on an edit or deletion event (kinds {@code edited}, {@code deleted}), {@code deleted}
     * and {@code edited} only on a message that was, {@code mentions} (the users named with {@code @}) only
     * when there are some, {@code tipTo} and {@code amount} only on a tip, {@code reactions} only in the
     * answers to {@code search} and {@code pins}, where the reader has not the events that make them.
     */
    record Message(String room, long seq, String id, String from, String text, Instant ts, String kind,
                   Long replyTo, String clientMsgId, Long target, Boolean deleted, Boolean edited,
                   List<String> mentions, String tipTo, Integer amount, List<ReactionState> reactions)
            implements ServerFrame {

        /**
         * By room and seq, which tell messages apart: Yasson hashes every object it writes, twice (its check for
         * cycles), and the hash a record gets over all its components took 15% of the server's CPU
         * samples in a JFR profile of storing messages (performance.md, item 12). Equal messages have equal rooms
         * and seqs, so this agrees with {@code equals}.
         */
        @Override
        public int hashCode() {
            return 31 * Objects.hashCode(room) + Long.hashCode(seq);
        }

        /** The copy that everybody but the sender gets. */
        public Message withoutClientMsgId() {
            return clientMsgId == null ? this
                    : new Message(room, seq, id, from, text, ts, kind, replyTo, null, target, deleted, edited,
                    mentions, tipTo, amount, reactions);
        }

        /** The copy with the message's reactions, for a {@code found} or {@code pins} answer. */
        public Message withReactions(List<ReactionState> standing) {
            return new Message(room, seq, id, from, text, ts, kind, replyTo, clientMsgId, target, deleted, edited,
                    mentions, tipTo, amount, standing);
        }
    }

    /**
     * One emoji of a message's reactions: how many people made it, and the first {@link #NAMED} of them in the
     * order they reacted (a message's answer stays small however many reacted).
     */
    record ReactionState(String emoji, int count, List<String> users) {

        /** The most people named for one emoji. */
        public static final int NAMED = 20;
    }

    record Receipt(String ref, String room, String clientMsgId, long seq, String id, Instant ts)
            implements ServerFrame {
    }

    record Messages(String ref, String room, List<Message> items, boolean more) implements ServerFrame {
    }

    /**
     * A member of a room: role {@code owner}, {@code moderator} or {@code member}; online on any node;
     * {@code tips}, what they were given in the room.
     */
    record MemberState(String user, String role, boolean online, long tips) {
    }

    /** The reply to {@code members}: every member by name. */
    record Members(String ref, String room, List<MemberState> items) implements ServerFrame {
    }

    /**
     * A room of the directory: {@code access} {@code public} or {@code password}; how many members it has; its
     * topic, when it has one.
     */
    record Listed(String room, String access, long members, String topic) {
    }

    /**
     * The reply to {@code search}: the messages found, in seq order; {@code before}, when the room has older messages
     * this search did not read, is where the next one goes on.
     */
    record Found(String ref, String room, List<Message> items, Long before) implements ServerFrame {
    }

    /**
     * The reply to {@code pins}: the room's pinned messages as they read now, in seq order; {@code before}, when the
     * answer was cut to fit the reader's catch-up share, is where the next {@code pins} goes on.
     */
    record Pins(String ref, String room, List<Message> items, Long before) implements ServerFrame {
    }

    /** The reply to {@code link}: the code a {@code join} of the room takes, until {@code expires}. */
    record Link(String ref, String room, String code, Instant expires) implements ServerFrame {
    }

    /** An invitation link in force: its code, who made it, and when it ends. */
    record LinkState(String code, String by, Instant expires) {
    }

    /** The reply to {@code links}: the room's invitation links in force, the last to end first. */
    record Links(String ref, String room, List<LinkState> items) implements ServerFrame {
    }

    /** The reply to {@code directory}, in the order of the rooms' names; {@code more} when the page is full. */
    record Directory(String ref, List<Listed> items, boolean more) implements ServerFrame {
    }

    record Synced(String room, long seq, boolean more, boolean recovered) implements ServerFrame {
    }

    /**
     * The user read the room up to {@code seq} on another of their connections: what this one counted unread up
     * to there is read.
     */
    record Read(String room, long seq) implements ServerFrame {
    }

    record Presence(String room, String user, boolean online, int count) implements ServerFrame {
    }

    record Typing(String room, String user) implements ServerFrame {
    }

    /**
     * The owner made {@code user} a moderator or a member again: told to the room's connections, so that the
     * user's own client offers (or stops offering) a moderator's tools without opening the room again.
     */
    record RoleChanged(String room, String user, String role) implements ServerFrame {
    }

    /**
     * The room was archived (read-only from then on) or, {@code archived} false, reopened: told to the room's
     * connections, so that a client open on it stops offering (or offers again) what an archived room refuses.
     */
    record Archived(String room, boolean archived) implements ServerFrame {
    }

    record Pong(String ref, BigDecimal t) implements ServerFrame {
    }

    record Error(String code, String message, String ref) implements ServerFrame {

        public static Error of(ErrorCode code, String message, String ref) {
            return new Error(code.wire(), message, ref);
        }
    }
}
