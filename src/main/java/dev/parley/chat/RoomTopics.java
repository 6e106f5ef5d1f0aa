package dev.parley.chat;

import dev.parley.config.Limits;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Connection;
import java.util.function.Consumer;

/**
 * A room's topic: one line its owner or moderators set, which every member is shown on joining and beside the
 * room's name. Each change is a message of kind {@code topic} with a seq of its own, so that clients that were
 * away learn of it by replay, in its place among the room's messages.
 */
final class RoomTopics {

    private final MessageStore messages;
    private final RoomModeration moderation;
    private final PostingRules rules;
    private final Consumer<StoredMessage> publish;

    RoomTopics(MessageStore messages, RoomModeration moderation, PostingRules rules, Consumer<StoredMessage> publish) {
        this.messages = messages;
        this.moderation = moderation;
        this.rules = rules;
        this.publish = publish;
    }

    /** Sets the topic the frame gives, without the spaces around it; a blank one clears it. */
    void set(Connection connection, ClientFrame.Topic frame) {
        String room = frame.room();
        moderation.requireModerator(connection, room);
        String topic = frame.text().strip();
        if (topic.codePointCount(0, topic.length()) > Limits.MAX_TOPIC_CHARS) {
            throw new ChatException(ErrorCode.TOO_LARGE, "a topic is at most " + Limits.MAX_TOPIC_CHARS
                    + " characters");
        }
        if (topic.codePoints().anyMatch(Character::isISOControl)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "a topic is one line, without control characters");
        }
        // It is said to the whole room: a muted moderator does not say it through the topic either.
        rules.requireNotMuted(room, connection.user());
        StoredMessage event = messages.setTopic(room, topic, connection.user());
        connection.send(new ServerFrame.Ok(frame.ref(), room));
        publish.accept(event);
    }
}
