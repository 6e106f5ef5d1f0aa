package dev.parley.chat;

import dev.parley.config.Limits;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Frames;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Connection;
import dev.parley.room.LiveRooms;
import dev.parley.room.ReadMarkers;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a reader asks of a room's stored messages: to mark them received and read ({@code ack}), the page after a seq
 * ({@code sync}, catching up) and the page before one ({@code history}, scrolling back).
 */
final class RoomReading {

    private final MessageStore messages;
    private final ReadMarkers markers;
    private final LiveRooms live;
    /** The operator's current limits: they may change while the server runs. */
    private final Supplier<Limits> limits;
    private final Clock clock;

    RoomReading(MessageStore messages, ReadMarkers markers, LiveRooms live, Supplier<Limits> limits, Clock clock) {
        this.messages = messages;
        this.markers = markers;
        this.live = live;
        this.limits = limits;
        this.clock = clock;
    }

    void ack(Connection connection, ClientFrame.Ack ack) {
        String room = RoomEntry.requireMember(connection, ack.room());
        connection.cursor(room).ifPresent(cursor -> {
            // Up to what this connection was given (sent, receipted, paged): past it (a client's slip) a message
            // posted meanwhile would be counted read and never sent again.
            long seq = Math.min(ack.seq(), cursor.ackable());
            if (seq > 0) {
                long read = Math.min(ack.readUpTo(), seq);
                // The user's other connections are told only what this one read further: a client acking a room
                // it does not show says the same read each time.
                markers.ack(room, connection.user(), seq, read, cursor.readTo(read) ? connection.id() : null);
                cursor.acked(seq, clock.millis());
            }
        });
    }

    void sync(Connection connection, ClientFrame.Sync sync) {
        String room = RoomEntry.requireMember(connection, sync.room());
        int limit = limits.get().page(sync.limit());
        List<StoredMessage> page = messages.after(room, sync.after(), limit + 1);
        boolean more = page.size() > limit;
        List<StoredMessage> items = more ? page.subList(0, limit) : page;
        if (!reply(connection, sync.ref(), room, items, more, false)) {
            // The client has caught up after a capped replay: live delivery takes over from here.
            // An empty page past the room's newest (a client's slip) ends the wait at the newest, or live messages
            // up to the seq it named would be taken as sent and dropped.
            long upTo = page.isEmpty()
                    ? Math.min(sync.after(), messages.lastSeqs(List.of(room)).getOrDefault(room, 0L))
                    : page.get(page.size() - 1).seq();
            connection.cursor(room).ifPresent(cursor -> cursor.syncedTo(upTo, clock.millis()));
        }
    }

    void history(Connection connection, ClientFrame.History history) {
        String room = RoomEntry.requireMember(connection, history.room());
        int limit = limits.get().page(history.limit());
        List<StoredMessage> page = messages.before(room, history.before(), limit + 1);
        boolean more = page.size() > limit;
        reply(connection, history.ref(), room, more ? page.subList(1, page.size()) : page, more, true);
    }

    /**
     * A page as this reader sees it: what the people they block wrote is hidden (its place and seq kept). It
     * fits the reader's catch-up share ({@link CatchUpShare}): cut short, it keeps the end the client pages from
     * (the oldest of a {@code sync}, the newest of a {@code history}) and says {@code more}.
     *
     * @return whether the page as sent says there is more
     */
    private boolean reply(Connection connection, String ref, String room, List<StoredMessage> page, boolean more,
                          boolean newestKept) {
        String reader = connection.user();
        List<ServerFrame.Message> all = page.stream().map(m -> m.frameFor(reader, live::hides)).toList();
        CatchUpShare.Page<ServerFrame.Message> sent = CatchUpShare.fit(connection, limits.get(), all, newestKept,
                (items, cut) -> Frames.encode(new ServerFrame.Messages(ref, room, items, more || cut)));
        List<ServerFrame.Message> items = sent.items();
        if (!items.isEmpty()) {
            long newest = items.get(items.size() - 1).seq();
            connection.cursor(room).ifPresent(cursor -> cursor.given(newest));
        }
        connection.send(sent.json());
        return more || items.size() < all.size();
    }
}
