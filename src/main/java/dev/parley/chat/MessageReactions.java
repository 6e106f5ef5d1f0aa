package dev.parley.chat;

import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Connection;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Members' reactions to messages: an emoji under a message, under the reacting member's name. Each reaction and
 * each one taken back is a message of its own (kinds {@code reacted} and {@code unreacted}, {@code target} the
 * message's seq, {@code text} the emoji), so that clients that were away learn of it by replay, and a reader who
 * blocked the member gets it as a placeholder, as any of the member's messages.
 */
final class MessageReactions {

    private final MessageStore messages;
    private final PostingRules rules;
    private final Consumer<StoredMessage> publish;

    MessageReactions(MessageStore messages, PostingRules rules, Consumer<StoredMessage> publish) {
        this.messages = messages;
        this.rules = rules;
        this.publish = publish;
    }

    /**
     * Adds the reaction; one the member made already answers {@code ok} and changes nothing. A reaction is said
     * before the room, so a muted member does not react, nor in a direct conversation where the other person
     * blocked them.
     */
    void react(Connection connection, ClientFrame.React frame) {
        String room = RoomEntry.requireMember(connection, frame.room());
        rules.requireNotMuted(room, connection.user());
        rules.requireNotBlocked(room, connection.user());
        answer(connection, frame.ref(), room, messages.react(room, frame.seq(), frame.emoji(), connection.user()));
    }

    /**
     * Takes the member's own reaction back, muted or blocked (as a deletion of their own message goes); one not
     * made answers {@code ok} and changes nothing.
     */
    void unreact(Connection connection, ClientFrame.Unreact frame) {
        String room = RoomEntry.requireMember(connection, frame.room());
        answer(connection, frame.ref(), room, messages.unreact(room, frame.seq(), frame.emoji(), connection.user()));
    }

    private void answer(Connection connection, String ref, String room, Optional<StoredMessage> event) {
        connection.send(new ServerFrame.Ok(ref, room));
        event.ifPresent(publish);
    }
}
