package dev.parley.delivery;

import dev.parley.protocol.ServerFrame;
import java.time.Instant;

/** A message as stored: its room seq, its globally unique id, and what was sent. */
public record StoredMessage(String room, long seq, String id, String from, String text, Instant ts, String kind,
                            Long replyTo, String clientMsgId) {

    public static final String TEXT = "text";
    /** Notices from the server or its operators, shown distinctly by the page. */
    public static final String SYSTEM = "system";

    /** The frame for {@code reader}: the client message id is shown to its sender only. */
    public ServerFrame.Message frameFor(String reader) {
        return new ServerFrame.Message(room, seq, id, from, text, ts, kind, replyTo,
                from.equals(reader) ? clientMsgId : null);
    }
}
