package dev.parley.delivery;

import dev.parley.config.Limits;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.EncodedFrame;
import dev.parley.protocol.Frames;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Connection;
import dev.parley.room.LiveRooms;
import dev.parley.room.RoomCursor;
import dev.parley.room.RoomStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Messages a connection gets from the store rather than live: the replay after {@code hello}, the gaps that
 * live delivery could not fill, and the resends of what a connection did not ack in time. All of it is read
 * from the database, so it works for any length of absence, on any node, after restarts, and costs no
 * memory per message.
 */
public final class Redelivery {

    private static final Logger LOG = Logger.getLogger(Redelivery.class.getName());
    /** How long a message that arrived before its predecessor waits for it before the store is asked. */
    public static final long HOLD_MILLIS = 500;
    /**
     * How often the newest seqs of the rooms read here are checked. A message whose live event never came (the
     * data grid dropped it, or its publish failed after the commit) leaves a gap that the next message shows;
     * in a quiet room there may be none for hours, so the rooms' tips are read, and a connection still behind
     * one a whole check later gets the rest from the store.
     */
    public static final long TIP_CHECK_MILLIS = 5_000;

    private final MessageStore messages;
    private final LiveRooms live;
    private final Clock clock;
    private final int pageMax;
    private final long catchUpChars;
    private final long holdMillis;
    private final long resendMillis;
    private final int maxResends;
    /** The rooms' last seqs at the last tip check (only the sweep's thread uses them), and when they were read. */
    private Map<String, Long> tips = Map.of();
    private long tipsReadAt;

    /**
     * @param pageMax      the most messages replayed per room at once (then the client pages with sync)
     * @param catchUpChars how full a reader's queue may be when more is read from the store for it
     *                     ({@link Limits#catchUpChars()})
     * @param holdMillis   how long a message that arrived early is held before its gap is filled from the store
     * @param resendMillis how long sent messages may go unacked before they are sent again
     * @param maxResends   resends without an ack before the connection is closed (4008)
     */
    public Redelivery(MessageStore messages, LiveRooms live, Clock clock, int pageMax, long catchUpChars,
                      long holdMillis, long resendMillis, int maxResends) {
        this.messages = messages;
        this.live = live;
        this.clock = clock;
        this.pageMax = pageMax;
        this.catchUpChars = catchUpChars;
        this.holdMillis = holdMillis;
        this.resendMillis = resendMillis;
        this.maxResends = maxResends;
    }

    public static Redelivery of(MessageStore messages, LiveRooms live, Clock clock, Limits limits) {
        return new Redelivery(messages, live, clock, limits.pageMax(), limits.catchUpChars(), HOLD_MILLIS,
                limits.resendAfter().toMillis(), limits.maxResends());
    }

    /**
     * After {@code welcome}: every room of the user from where the client says it is ({@code resume}, when
     * its epoch is still the room's), or else from the user's read marker; each room ends with
     * {@code synced}. A room whose epoch changed is not replayed: {@code recovered: false} tells the client
     * to reload it with {@code history}. While the reader's queue holds its catch-up share, the rooms that come
     * replay nothing, and those with messages to replay say {@code more}: the client pages them with
     * {@code sync}, as fast as it reads (a room after them is replayed if the queue drained meanwhile).
     */
    public void replay(Connection connection, List<RoomStore.MemberRoom> rooms,
                       Map<String, ClientFrame.Position> resume) {
        for (RoomStore.MemberRoom room : rooms) {
            RoomCursor cursor = connection.cursor(room.room()).orElse(null);
            if (cursor == null) {
                continue;
            }
            ClientFrame.Position position = resume.get(room.room());
            long now = clock.millis();
            if (position != null && !room.epoch().equals(position.epoch())) {
                cursor.placeAt(room.seq(), now, false);
                cursor.acked(room.seq(), now);
                connection.send(new ServerFrame.Synced(room.room(), room.seq(), false, false));
                continue;
            }
            long from = Math.min(position != null ? position.seq() : room.acked(), room.seq());
            cursor.placeAt(from, now, false);
            cursor.acked(from, now);
            boolean more = fill(connection, room.room(), cursor);
            if (more) {
                cursor.awaitSync();
            } else if (cursor.isBehind(room.seq())) {
                // Every seq up to the room's was stored before the read: what the store had not is gone (retention).
                cursor.placeAt(room.seq(), now, false);
            }
            connection.send(new ServerFrame.Synced(room.room(), cursor.sent(), more, true));
        }
    }

    /**
     * The heartbeat sweep's part: fills gaps that were held too long, resends what went unacked, closes
     * connections that never ack, and every {@link #TIP_CHECK_MILLIS} sends what lost live events left out.
     */
    public void sweep() {
        NewestSeqs newest = new NewestSeqs();
        List<Connection> readers = live.connections().stream()
                .filter(c -> c.isAuthenticated() && !c.isClosing()).toList();
        Map<String, Long> tipsToReach = tipsDue(readers);
        Set<String> missedLive = new HashSet<>();
        int behind = 0;
        for (Connection connection : readers) {
            for (String room : connection.roomNames()) {
                RoomCursor cursor = connection.cursor(room).orElse(null);
                if (cursor != null && sweep(connection, room, cursor, newest)
                        && reachTip(connection, room, cursor, tipsToReach.get(room))) {
                    missedLive.add(room);
                    behind++;
                }
            }
        }
        if (!missedLive.isEmpty()) {
            int connections = behind;
            LOG.info(() -> connections + " connections had not got the newest messages of " + missedLive
                    + " live a tip check after they were stored: sent from the store");
        }
    }

    /**
     * When a tip check is due, the tips read at the last one, which every live event has had a whole check to
     * bring (one read now could be of a message whose event is on its way); the tips are read again.
     */
    private Map<String, Long> tipsDue(List<Connection> readers) {
        long now = clock.millis();
        if (now - tipsReadAt < TIP_CHECK_MILLIS) {
            return Map.of();
        }
        Map<String, Long> due = tips;
        Set<String> rooms = new HashSet<>();
        readers.forEach(connection -> rooms.addAll(connection.roomNames()));
        tips = rooms.isEmpty() ? Map.of() : messages.lastSeqs(rooms);
        tipsReadAt = now;
        return due;
    }

    /**
     * A connection still behind a room's tip of a check ago missed its live event: the store has the rest.
     *
     * @return whether it was behind
     */
    private boolean reachTip(Connection connection, String room, RoomCursor cursor, Long tip) {
        if (tip == null || !cursor.isBehind(tip)) {
            return false;
        }
        live.stats().missedLive();
        if (!fill(connection, room, cursor) && cursor.isBehind(tip)) {
            // The store has nothing more up to the tip: retention or a purge removed the rest.
            cursor.placeAt(tip, clock.millis(), false);
        }
        return true;
    }

    /**
     * @return whether the cursor was left as it was (still open, nothing resent or filled): only then may its tip
     *         be checked, since a fill that ends a page below the tip is not a lost event
     */
    private boolean sweep(Connection connection, String room, RoomCursor cursor, NewestSeqs newest) {
        long now = clock.millis();
        // A reader with its catch-up share still to read has not read what a resend would send again either: the
        // resend (and the count towards closing it) waits; a reader that stops reading fills its queue (4008).
        if (connection.queuedChars() < catchUpChars && cursor.resendDue(now, resendMillis)) {
            if (cursor.resends() > maxResends) {
                LOG.info(() -> "closing " + connection + ": acked nothing of " + room + " after "
                        + maxResends + " resends");
                live.drop(connection, CloseCodes.TOO_SLOW, "messages not acked");
                return false;
            }
            cursor.rewindToAcked();
            live.stats().resent();
            fill(connection, room, cursor);
            return false;
        }
        if (cursor.needsFill(now, holdMillis) && !(cursor.holdsNothing() && newest.closeGap(room, cursor))) {
            fill(connection, room, cursor);
            return false;
        }
        return true;
    }

    /**
     * The rooms' newest seqs, read once a sweep for the checks after a join: when a room of thousands is
     * joined at once (a load balancer's failover, a class starting), one read answers them all where a
     * fill each would take the sweep, and with it the heartbeats, for seconds.
     */
    private final class NewestSeqs {
        private record Read(long seq, long at) {
        }

        private final Map<String, Read> byRoom = new HashMap<>();

        boolean closeGap(String room, RoomCursor cursor) {
            Read read = byRoom.get(room);
            if (read == null || !cursor.gapBegunBefore(read.at())) {
                // Not read yet this sweep, or read before this gap began (a slow sweep): read it now.
                long at = clock.millis();
                List<StoredMessage> newest = messages.before(room, null, 1);
                read = new Read(newest.isEmpty() ? 0 : newest.get(0).seq(), at);
                byRoom.put(room, read);
            }
            return cursor.closeGap(read.seq(), read.at());
        }
    }

    /**
     * Sends, in order, up to a page of the room's stored messages after the cursor; live messages wait
     * meanwhile, and go out after it in order. The page ends early when the reader's queue holds its catch-up
     * share: a slow reader is sent what it can take, and the next fill, or its own {@code sync}, goes on.
     *
     * @return whether the room has more after what was sent
     */
    private boolean fill(Connection connection, String room, RoomCursor cursor) {
        long after = cursor.beginFill();
        try {
            boolean full = connection.queuedChars() >= catchUpChars;
            List<StoredMessage> page = messages.after(room, after, full ? 1 : pageMax + 1);
            if (full) {
                return !page.isEmpty();
            }
            String reader = connection.user();
            long now = clock.millis();
            int sent = 0;
            for (StoredMessage message : page) {
                if (sent == pageMax || connection.queuedChars() >= catchUpChars) {
                    break;
                }
                String json = Frames.encode(message.frameFor(reader, live::hides));
                cursor.stored(message.seq(), new EncodedFrame(json), now);
                sent++;
            }
            live.stats().replayed(sent);
            return sent < page.size();
        } finally {
            cursor.endFill(clock.millis());
        }
    }
}
