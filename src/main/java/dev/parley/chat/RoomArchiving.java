package dev.parley.chat;

import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Connection;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * An owner's archive of their room: read-only from then on (nobody sends or reacts, nobody new joins; the members
 * keep reading it), as an administrator's archive makes it, and a line from the system says who did it. Reopening
 * stays an administrator's: the store does not say whose archive it was, and one an administrator made is not the
 * owner's to undo.
 */
final class RoomArchiving {

    private static final Logger LOG = Logger.getLogger(RoomArchiving.class.getName());

    private final MessageStore messages;
    private final RoomModeration moderation;
    private final Consumer<StoredMessage> publish;

    RoomArchiving(MessageStore messages, RoomModeration moderation, Consumer<StoredMessage> publish) {
        this.messages = messages;
        this.moderation = moderation;
        this.publish = publish;
    }

    void archive(Connection connection, ClientFrame.Archive frame) {
        String room = frame.room();
        moderation.requireOwner(connection, room);
        // The line and the archive are one transaction: nothing is stored after the line.
        StoredMessage line = messages.archive(room, connection.user() + " archived the room: it is read-only now.");
        LOG.info(() -> connection.user() + " archived " + room);
        connection.send(new ServerFrame.Ok(frame.ref(), room));
        publish.accept(line);
    }
}
