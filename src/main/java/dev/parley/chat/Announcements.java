package dev.parley.chat;

import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.RoomEvent;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Frames;
import dev.parley.security.UserNames;
import java.util.Optional;

/**
 * What a room is told that is the same for every reader (lines from {@code system}, edits and deletions), to its
 * connections on every node.
 */
final class Announcements {

    private final MessageStore messages;
    private final ClusterBus bus;

    Announcements(MessageStore messages, ClusterBus bus) {
        this.messages = messages;
        this.bus = bus;
    }

    /** A stored message or event that is the same for every reader. */
    void publish(StoredMessage stored) {
        String json = Frames.encode(stored.frameFor(UserNames.SYSTEM));
        bus.publish(new RoomEvent.Posted(stored.room(), stored.seq(), stored.from(), json, json, stored.hideable()));
    }

    /** A line from {@code system} in the room, stored with its own seq: how everybody learns what happened. */
    StoredMessage systemLine(String room, String text) {
        StoredMessage stored = messages.append(new MessageStore.NewMessage(room, UserNames.SYSTEM, text,
                StoredMessage.SYSTEM, null, null)).message();
        publish(stored);
        return stored;
    }

    /**
     * The line, unless the room is archived: it takes no new messages (the store refuses them, the only refusal
     * of a line), and what the line would tell stands without it: a kick or a ban in an archived room is done
     * when it would be told, and was answered {@code ok} already.
     */
    Optional<StoredMessage> systemLineUnlessArchived(String room, String text) {
        try {
            return Optional.of(systemLine(room, text));
        } catch (ChatException e) {
            if (e.code() != ErrorCode.FORBIDDEN) {
                throw e;
            }
            return Optional.empty();
        }
    }
}
