package dev.parley.chat;

import dev.parley.config.Limits;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Connection;
import dev.parley.room.LiveRooms;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A room's pinned messages: the few its owner or moderators keep at hand for every member (the rules, a link,
 * the answer everybody asks for). Each pin and unpin is a message of its own (kinds {@code pinned} and
 * {@code unpinned}, {@code target} the pinned seq), so that clients that were away learn of it by replay;
 * {@code pins} lists them as they read now.
 */
final class RoomPins {

    private final MessageStore messages;
    private final RoomModeration moderation;
    private final PostingRules rules;
    private final LiveRooms live;
    /** The operator's current limits: they may change while the server runs. */
    private final Supplier<Limits> limits;
    private final Consumer<StoredMessage> publish;

    RoomPins(MessageStore messages, RoomModeration moderation, PostingRules rules, LiveRooms live,
             Supplier<Limits> limits, Consumer<StoredMessage> publish) {
        this.messages = messages;
        this.moderation = moderation;
        this.rules = rules;
        this.live = live;
        this.limits = limits;
        this.publish = publish;
    }

    /** Pins the message; one pinned already answers {@code ok} and changes nothing. */
    void pin(Connection connection, ClientFrame.Pin frame) {
        requirePinner(connection, frame.room());
        answer(connection, frame.ref(), frame.room(), messages.pin(frame.room(), frame.seq(), connection.user()));
    }

    /** Unpins the message; one not pinned answers {@code ok} and changes nothing. */
    void unpin(Connection connection, ClientFrame.Unpin frame) {
        requirePinner(connection, frame.room());
        answer(connection, frame.ref(), frame.room(), messages.unpin(frame.room(), frame.seq(), connection.user()));
    }

    /**
     * Answers {@code pins}: the pinned messages in seq order, without those of people the reader blocks (a
     * placeholder would still say that they wrote it). Like a search, the answer fits the reader's catch-up share
     * ({@link CatchUpShare}): cut short, it keeps the newest, and {@code before} goes on below them.
     */
    void list(Connection connection, ClientFrame.Pins frame) {
        String room = RoomEntry.requireMember(connection, frame.room());
        CatchUpShare.sendNewestFirst(connection, limits.get(), live, messages, room,
                messages.pinned(room, frame.before()), null,
                (kept, before) -> new ServerFrame.Pins(frame.ref(), room, kept, before));
    }

    /**
     * The room's owner and moderators, not in a direct conversation (nobody moderates it); a pin is put before the
     * whole room, so a muted moderator does not pin or unpin either.
     */
    private void requirePinner(Connection connection, String room) {
        moderation.requireModerator(connection, room);
        rules.requireNotMuted(room, connection.user());
    }

    private void answer(Connection connection, String ref, String room, Optional<StoredMessage> event) {
        connection.send(new ServerFrame.Ok(ref, room));
        event.ifPresent(publish);
    }
}
