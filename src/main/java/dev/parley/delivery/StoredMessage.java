package dev.parley.delivery;

import dev.parley.protocol.Frames;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Blocking;
import java.time.Instant;
import java.util.List;

/**
 * A message as stored: its room seq, its globally unique id, and what was sent. A deleted message keeps its
 * seq with its text gone ({@code deleted}), an edited one its seq with the new text ({@code edited}); the
 * deletion or edit itself is a message of kind {@link #DELETED} or {@link #EDITED} whose {@code target} is
 * that seq, so that clients that were away learn of it by replay.
 */
public record StoredMessage(String room, long seq, String id, String from, String text, Instant ts, String kind,
                            Long replyTo, String clientMsgId, Long target, boolean deleted, boolean edited,
                            Tip tip) {

    public static final String TEXT = "text";
    /** Notices from the server or its operators, shown distinctly by the page. */
    public static final String SYSTEM = "system";
    /** The event that message {@code target} was deleted. */
    public static final String DELETED = "deleted";
    /** The event that message {@code target} has a new text (this event's). */
    public static final String EDITED = "edited";
    /** A gift from {@code from} to a member: {@link #tip()} says to whom and how much. */
    public static final String TIP = "tip";
    /** The room's topic changed to this message's text (empty: cleared), set by {@code from}. */
    public static final String TOPIC = "topic";
    /** Message {@code target} was pinned by {@code from}. */
    public static final String PINNED = "pinned";
    /** Message {@code target} was unpinned by {@code from}. */
    public static final String UNPINNED = "unpinned";
    /** {@code from} reacted to message {@code target} with this message's text, an emoji. */
    public static final String REACTED = "reacted";
    /** {@code from} took back their reaction (this message's text) to message {@code target}. */
    public static final String UNREACTED = "unreacted";

    /** The frame for {@code reader}: the client message id is shown to its sender only. */
    public ServerFrame.Message frameFor(String reader) {
        return new ServerFrame.Message(room, seq, id, from, text, ts, kind, replyTo,
                from.equals(reader) ? clientMsgId : null, target, deleted ? Boolean.TRUE : null,
                edited ? Boolean.TRUE : null, mentions(), tip == null ? null : tip.to(),
                tip == null ? null : tip.amount(), null);
    }

    /** The frame for a reader who blocked the author: where it stands, nothing of what it says. */
    public ServerFrame.Message hiddenFrame() {
        return new ServerFrame.Message(room, seq, id, from, "", ts, Frames.HIDDEN, null, null, null, null, null, null,
                null, null, null);
    }

    /** The frame for {@code reader}, hidden when the reader blocked the author. */
    public ServerFrame.Message frameFor(String reader, Blocking blocking) {
        return hideable() && blocking.hides(reader, from) ? hiddenFrame() : frameFor(reader);
    }

    /**
     * Whether a reader who blocked the author gets it as a placeholder. Not a deletion: it says nothing of its
     * own, and hidden (without its target) it would leave the deleted words on the reader's screen. Nor a topic
     * or a pin: they are the room's, which every member is shown whoever set them.
     */
    public boolean hideable() {
        return hideable(kind);
    }

    /** Whether messages of this kind reach those who blocked their author as placeholders ({@link #hideable()}). */
    public static boolean hideable(String kind) {
        return !DELETED.equals(kind) && !TOPIC.equals(kind) && !PINNED.equals(kind) && !UNPINNED.equals(kind);
    }

    /**
     * Whether a message of this kind is a line of the conversation to read, rather than an event that changes
     * one (a deletion, an edit, a reaction): what counts as unread.
     */
    public static boolean isLine(String kind) {
        return !DELETED.equals(kind) && !EDITED.equals(kind) && !REACTED.equals(kind) && !UNREACTED.equals(kind);
    }

    /** The users the text names with {@code @}; null when none (or when this is not a person's text). */
    private List<String> mentions() {
        if (!TEXT.equals(kind) && !EDITED.equals(kind)) {
            return null;
        }
        List<String> users = Mentions.in(text);
        return users.isEmpty() ? null : users;
    }
}
