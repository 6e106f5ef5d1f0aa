package dev.parley.chat;

import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Edits and deletions by the people of a room: who may, and until when. The message keeps its seq; the
 * room hears of the change through an event with a seq of its own, so that clients that were away learn of
 * it by replay. The caller has checked membership (and, for an edit, the text and mutes).
 */
final class MessageEdits {

    private final MessageStore messages;
    private final RoomModeration moderation;
    private final Consumer<StoredMessage> publish;
    private final Clock clock;

    MessageEdits(MessageStore messages, RoomModeration moderation, Consumer<StoredMessage> publish, Clock clock) {
        this.messages = messages;
        this.moderation = moderation;
        this.publish = publish;
        this.clock = clock;
    }

    /** Its sender replaces a message's text within the edit window. */
    void edit(Connection connection, String room, ClientFrame.Edit edit, Duration window) {
        String user = connection.user();
        StoredMessage target = standing(room, edit.seq());
        if (!target.from().equals(user)) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only its sender edits a message");
        }
        if (clock.instant().isAfter(target.ts().plus(window))) {
            throw new ChatException(ErrorCode.FORBIDDEN, "a message can be edited for " + window.toMinutes()
                    + " minutes after it was sent");
        }
        StoredMessage event = messages.edit(room, edit.seq(), edit.text(), user);
        connection.send(new ServerFrame.Ok(edit.ref(), room));
        publish.accept(event);
    }

    /** Its sender, the room's owner, or a moderator who outranks the sender deletes a message. */
    void delete(Connection connection, String room, ClientFrame.Delete delete) {
        String user = connection.user();
        StoredMessage target = standing(room, delete.seq());
        if (!target.from().equals(user) && !moderation.mayDelete(room, user, target.from())) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only its sender, the room's owner, and its moderators for "
                    + "members of lower rank delete a message");
        }
        StoredMessage event = messages.delete(room, delete.seq(), user);
        connection.send(new ServerFrame.Ok(delete.ref(), room));
        publish.accept(event);
    }

    /** A message that stands: not deleted, and not itself an event about another. */
    private StoredMessage standing(String room, long seq) {
        return messages.find(room, seq).filter(m -> !m.deleted() && m.target() == null)
                .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no message " + seq + " in " + room));
    }
}
