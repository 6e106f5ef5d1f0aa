package dev.parley.chat;

import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.RoomEvent;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Frames;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Connection;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Archiving a room (read-only from then on: nobody sends or reacts, nobody new joins; the members keep reading it)
 * and reopening it. Its owner archives it, an administrator archives and reopens it: the store does not say whose
 * archive it was, and one an administrator made is not the owner's to undo. A line from the system says who did
 * it, and the room's open connections are told, so that their clients stop offering (or offer again) what an
 * archived room refuses.
 */
final class RoomArchiving {

    private static final Logger LOG = Logger.getLogger(RoomArchiving.class.getName());

    private final MessageStore messages;
    private final RoomModeration moderation;
    private final Consumer<StoredMessage> publish;
    private final ClusterBus bus;

    RoomArchiving(MessageStore messages, RoomModeration moderation, Consumer<StoredMessage> publish, ClusterBus bus) {
        this.messages = messages;
        this.moderation = moderation;
        this.publish = publish;
        this.bus = bus;
    }

    void archive(Connection connection, ClientFrame.Archive frame) {
        String room = frame.room();
        String owner = connection.user();
        moderation.requireMemberOfARunRoom(connection, room);
        // The line and the archive are one transaction (nothing is stored after the line), which checks the
        // ownership under the room's lock: a hand-over checked before it could have given the room away since.
        StoredMessage line = messages.archive(room, owner + " archived the room: it is read-only now.", owner);
        LOG.info(() -> owner + " archived " + room);
        connection.send(new ServerFrame.Ok(frame.ref(), room));
        tell(line, true);
    }

    /** An administrator's archive, with {@code line} as the room's last message. */
    void archive(String room, String line) {
        tell(messages.archive(room, line, null), true);
    }

    /** An administrator's reopening, with {@code line} as the room's first message since. */
    void reopen(String room, String line) {
        tell(messages.reopen(room, line), false);
    }

    /** The line, then the room's new state, to the room's connections on every node. */
    private void tell(StoredMessage line, boolean archived) {
        publish.accept(line);
        String room = line.room();
        bus.publish(new RoomEvent.Broadcast(room, Frames.encode(new ServerFrame.Archived(room, archived)), null));
    }
}
