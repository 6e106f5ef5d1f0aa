package dev.parley.protocol;

import jakarta.json.bind.annotation.JsonbSubtype;
import jakarta.json.bind.annotation.JsonbTypeInfo;
import java.math.BigDecimal;
import java.util.Map;

/**
 * A frame a client sends. The JSON key {@code type} names the record; every record may carry
 * {@code ref}, which the direct reply echoes. Records only check their shape; whether a frame is
 * allowed is decided by the chat services.
 */
@JsonbTypeInfo(key = "type", value = {
    @JsonbSubtype(alias = "hello", type = ClientFrame.Hello.class),
    @JsonbSubtype(alias = "join", type = ClientFrame.Join.class),
    @JsonbSubtype(alias = "leave", type = ClientFrame.Leave.class),
    @JsonbSubtype(alias = "send", type = ClientFrame.Send.class),
    @JsonbSubtype(alias = "ack", type = ClientFrame.Ack.class),
    @JsonbSubtype(alias = "sync", type = ClientFrame.Sync.class),
    @JsonbSubtype(alias = "history", type = ClientFrame.History.class),
    @JsonbSubtype(alias = "typing", type = ClientFrame.Typing.class),
    @JsonbSubtype(alias = "ping", type = ClientFrame.Ping.class),
    @JsonbSubtype(alias = "access", type = ClientFrame.SetAccess.class),
    @JsonbSubtype(alias = "invite", type = ClientFrame.Invite.class),
    @JsonbSubtype(alias = "role", type = ClientFrame.SetRole.class),
    @JsonbSubtype(alias = "ban", type = ClientFrame.Ban.class),
    @JsonbSubtype(alias = "unban", type = ClientFrame.Unban.class),
    @JsonbSubtype(alias = "edit", type = ClientFrame.Edit.class),
    @JsonbSubtype(alias = "delete", type = ClientFrame.Delete.class),
    @JsonbSubtype(alias = "mute", type = ClientFrame.Mute.class),
    @JsonbSubtype(alias = "unmute", type = ClientFrame.Unmute.class),
    @JsonbSubtype(alias = "kick", type = ClientFrame.Kick.class),
    @JsonbSubtype(alias = "dm", type = ClientFrame.Dm.class),
    @JsonbSubtype(alias = "members", type = ClientFrame.Members.class),
    @JsonbSubtype(alias = "tip", type = ClientFrame.Tip.class),
    @JsonbSubtype(alias = "block", type = ClientFrame.Block.class),
    @JsonbSubtype(alias = "unblock", type = ClientFrame.Unblock.class),
    @JsonbSubtype(alias = "directory", type = ClientFrame.Directory.class),
    @JsonbSubtype(alias = "topic", type = ClientFrame.Topic.class),
    @JsonbSubtype(alias = "search", type = ClientFrame.Search.class),
    @JsonbSubtype(alias = "pin", type = ClientFrame.Pin.class),
    @JsonbSubtype(alias = "unpin", type = ClientFrame.Unpin.class),
    @JsonbSubtype(alias = "pins", type = ClientFrame.Pins.class),
    @JsonbSubtype(alias = "react", type = ClientFrame.React.class),
    @JsonbSubtype(alias = "unreact", type = ClientFrame.Unreact.class),
    @JsonbSubtype(alias = "link", type = ClientFrame.Link.class),
    @JsonbSubtype(alias = "unlink", type = ClientFrame.Unlink.class),
    @JsonbSubtype(alias = "links", type = ClientFrame.Links.class),
    @JsonbSubtype(alias = "archive", type = ClientFrame.Archive.class)
})
public sealed interface ClientFrame {

    /** Longest {@code ref} the contract allows. */
    int MAX_REF = 64;

    String ref();

    /** Where a client is in a room when it reconnects: the highest seq it holds and the room's epoch then. */
    record Position(Long seq, String epoch) {
    }

    /** A missing or empty token is a bad token (4501), not a malformed frame: its client must sign in again. */
    record Hello(String ref, String token, Map<String, Position> resume) implements ClientFrame {
        public Hello {
            token = token == null ? "" : token;
            if (resume != null) {
                resume.forEach((room, position) -> {
                    Require.present("resume." + room, position);
                    Require.seq("resume." + room + ".seq", position.seq());
                });
            }
            resume = resume == null ? Map.of() : Map.copyOf(resume);
        }
    }

    /** {@code code} (an addition): an invitation link's, which admits past the room's password or invitations. */
    record Join(String ref, String room, String password, String code) implements ClientFrame {
        public Join {
            Require.text("room", room);
            if (code != null) {
                Require.linkCode("code", code);
            }
        }
    }

    record Leave(String ref, String room) implements ClientFrame {
        public Leave {
            Require.text("room", room);
        }
    }

    record Send(String ref, String room, String text, String clientMsgId, Long replyTo) implements ClientFrame {
        /** The contract bounds a client message id to 1–64 characters. */
        public static final int MAX_CLIENT_MSG_ID = 64;

        public Send {
            Require.text("room", room);
            Require.present("text", text);
            Require.text("clientMsgId", clientMsgId);
            Require.atMost("clientMsgId", clientMsgId, MAX_CLIENT_MSG_ID);
            if (replyTo != null && replyTo < 1) {
                throw new IllegalArgumentException("replyTo must be a seq of the room (1 or more)");
            }
        }
    }

    /**
     * {@code read} (an addition; absent: {@code seq}, as the contract has it) is how far the person has read: a
     * client showing one room at a time acks what it holds in the others without their messages counting read.
     */
    record Ack(String ref, String room, Long seq, Long read) implements ClientFrame {
        public Ack {
            Require.text("room", room);
            Require.seq("seq", seq);
            if (read != null && (read < 0 || read > seq)) {
                throw new IllegalArgumentException("read must be from 0 up to seq");
            }
        }

        /** The seq the person has read up to. */
        public long readUpTo() {
            return read == null ? seq : read;
        }
    }

    record Sync(String ref, String room, Long after, Integer limit) implements ClientFrame {
        public Sync {
            Require.text("room", room);
            Require.seq("after", after);
            Require.positive("limit", limit);
        }
    }

    record History(String ref, String room, Long before, Integer limit) implements ClientFrame {
        public History {
            Require.text("room", room);
            if (before != null && before < 1) {
                throw new IllegalArgumentException("before must be a seq (1 or more)");
            }
            Require.positive("limit", limit);
        }
    }

    record Typing(String ref, String room) implements ClientFrame {
        public Typing {
            Require.text("room", room);
        }
    }

    record Ping(String ref, BigDecimal t) implements ClientFrame {
    }

    /** Owner only: who may join ({@code public}, {@code password} with {@code password}, {@code invite}). */
    record SetAccess(String ref, String room, String access, String password) implements ClientFrame {
        public SetAccess {
            Require.text("room", room);
            Require.text("access", access);
        }
    }

    /** Owner or moderator: makes {@code user} a member, which is how invite-only rooms get members. */
    record Invite(String ref, String room, String user) implements ClientFrame {
        public Invite {
            Require.text("room", room);
            Require.text("user", user);
        }
    }

    /** Owner only: appoints a member moderator, or makes a moderator a member again. */
    record SetRole(String ref, String room, String user, String role) implements ClientFrame {
        public SetRole {
            Require.text("room", room);
            Require.text("user", user);
            Require.text("role", role);
        }
    }

    /** Owner or moderator: removes a member of lower rank from the room until {@code unban}. */
    record Ban(String ref, String room, String user) implements ClientFrame {
        public Ban {
            Require.text("room", room);
            Require.text("user", user);
        }
    }

    record Unban(String ref, String room, String user) implements ClientFrame {
        public Unban {
            Require.text("room", room);
            Require.text("user", user);
        }
    }

    /** The sender, within the edit window: the message's new text; everybody gets an {@code edited} event. */
    record Edit(String ref, String room, Long seq, String text) implements ClientFrame {
        public Edit {
            Require.text("room", room);
            Require.messageSeq("seq", seq);
            Require.present("text", text);
        }
    }

    /** The sender, the owner, or a moderator of higher rank: the text goes; everybody gets a {@code deleted} event. */
    record Delete(String ref, String room, Long seq) implements ClientFrame {
        public Delete {
            Require.text("room", room);
            Require.messageSeq("seq", seq);
        }
    }

    /**
     * Owner or moderator, on a member of lower rank: they read but do not send, for the minutes given or until
     * unmuted.
     */
    record Mute(String ref, String room, String user, Integer minutes) implements ClientFrame {
        public Mute {
            Require.text("room", room);
            Require.text("user", user);
            Require.positive("minutes", minutes);
        }
    }

    record Unmute(String ref, String room, String user) implements ClientFrame {
        public Unmute {
            Require.text("room", room);
            Require.text("user", user);
        }
    }

    /** Owner or moderator, on a member of lower rank: out of the room, free to join again (a ban keeps them out). */
    record Kick(String ref, String room, String user) implements ClientFrame {
        public Kick {
            Require.text("room", room);
            Require.text("user", user);
        }
    }

    /** A direct conversation with {@code user}: the room of the two, made the first time, the same ever after. */
    record Dm(String ref, String user) implements ClientFrame {
        public Dm {
            Require.text("user", user);
        }
    }

    /** The room's members with their roles and whether they are online: for members of the room. */
    record Members(String ref, String room) implements ClientFrame {
        public Members {
            Require.text("room", room);
        }
    }

    /** A gift of {@code amount} to a member of the room; sent once per {@code clientMsgId}, as a message is. */
    record Tip(String ref, String room, String user, Integer amount, String clientMsgId) implements ClientFrame {
        public Tip {
            Require.text("room", room);
            Require.text("user", user);
            Require.present("amount", amount);
            Require.text("clientMsgId", clientMsgId);
            Require.atMost("clientMsgId", clientMsgId, Send.MAX_CLIENT_MSG_ID);
        }
    }

    /** The asker no longer gets {@code user}'s messages (live, replay, history) and refuses their direct ones. */
    record Block(String ref, String user) implements ClientFrame {
        public Block {
            Require.text("user", user);
        }
    }

    record Unblock(String ref, String user) implements ClientFrame {
        public Unblock {
            Require.text("user", user);
        }
    }

    /**
     * The rooms anybody may find: public and password rooms (not invite-only, direct or archived), by name,
     * those whose names start with {@code prefix} (in any case), after the room {@code after}, a page at a time.
     */
    record Directory(String ref, String prefix, String after, Integer limit) implements ClientFrame {
        /** The longest room name: a longer prefix or {@code after} names no room. */
        static final int LONGEST_NAME = 64;

        public Directory {
            prefix = prefix == null ? "" : prefix;
            Require.atMost("prefix", prefix, LONGEST_NAME);
            if (!prefix.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.'
                    || c == '-'))) {
                throw new IllegalArgumentException("prefix must be the start of a room name: letters, digits, "
                        + "_ . -");
            }
            if (after != null) {
                Require.atMost("after", after, LONGEST_NAME);
            }
            Require.positive("limit", limit);
        }
    }

    /** Owner or moderator: the room's topic, one line (empty clears it); everybody gets a {@code topic} message. */
    record Topic(String ref, String room, String text) implements ClientFrame {
        public Topic {
            Require.text("room", room);
            Require.present("text", text);
        }
    }

    /**
     * The room's messages whose text holds {@code text} in any case, newest first, among the newest ones below
     * {@code before} (absent: the room's newest) that one search reads; a page at a time.
     */
    record Search(String ref, String room, String text, Long before, Integer limit) implements ClientFrame {
        public Search {
            Require.text("room", room);
            Require.present("text", text);
            if (before != null) {
                Require.messageSeq("before", before);
            }
            Require.positive("limit", limit);
        }
    }

    /** Owner or moderator: message {@code seq} is pinned, listed by {@code pins} for every member. */
    record Pin(String ref, String room, Long seq) implements ClientFrame {
        public Pin {
            Require.text("room", room);
            Require.messageSeq("seq", seq);
        }
    }

    record Unpin(String ref, String room, Long seq) implements ClientFrame {
        public Unpin {
            Require.text("room", room);
            Require.messageSeq("seq", seq);
        }
    }

    /** The room's pinned messages, the newest first, below {@code before} (absent: all of them). */
    record Pins(String ref, String room, Long before) implements ClientFrame {
        public Pins {
            Require.text("room", room);
            if (before != null) {
                Require.messageSeq("before", before);
            }
        }
    }

    /** A member: {@code emoji} is added to message {@code seq}'s reactions, under the member's name. */
    record React(String ref, String room, Long seq, String emoji) implements ClientFrame {

        /** The longest reaction, in UTF-16 units: an emoji of several code points (a family, a keycap) fits. */
        public static final int MAX_CHARS = 32;

        public React {
            Require.text("room", room);
            Require.messageSeq("seq", seq);
            Require.reaction("emoji", emoji);
        }
    }

    /** A member takes back their own {@code emoji} on message {@code seq}. */
    record Unreact(String ref, String room, Long seq, String emoji) implements ClientFrame {
        public Unreact {
            Require.text("room", room);
            Require.messageSeq("seq", seq);
            Require.reaction("emoji", emoji);
        }
    }

    /**
     * Owner or moderator: a code with which whoever has it joins the room, password or invite-only, for
     * {@code minutes} (absent: a day).
     */
    record Link(String ref, String room, Integer minutes) implements ClientFrame {

        /** A code's length at most, in characters: the server's codes are shorter. */
        public static final int MAX_CODE_CHARS = 64;

        public Link {
            Require.text("room", room);
            Require.positive("minutes", minutes);
        }
    }

    /** Owner or moderator: the room's invitation link {@code code} stops working; without one, every link. */
    record Unlink(String ref, String room, String code) implements ClientFrame {
        public Unlink {
            Require.text("room", room);
            if (code != null) {
                Require.linkCode("code", code);
            }
        }
    }

    /** Owner or moderator: the room's invitation links in force. */
    record Links(String ref, String room) implements ClientFrame {
        public Links {
            Require.text("room", room);
        }
    }

    /** Owner: the room becomes read-only, as an administrator's archive makes it (an administrator reopens it). */
    record Archive(String ref, String room) implements ClientFrame {
        public Archive {
            Require.text("room", room);
        }
    }
}
