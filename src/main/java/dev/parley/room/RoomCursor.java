package dev.parley.room;

import dev.parley.protocol.EncodedFrame;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one connection is in one room: the highest seq sent to it, with every lower one sent before, and
 * what it has acked. Live messages go out only in seq order: one that arrives early (its predecessor is
 * still on its way from another sender or node) is held until the gap is filled, live or from the store.
 * While the store is read for the connection (replay, gap fill), live messages are held too. Holding is
 * bounded: past {@link #MAX_HELD} the newest are dropped, and the next fill from the store brings them.
 *
 * <p>Every method is synchronized and only queues frames on the connection (never blocking), so that two
 * threads cannot interleave one room's frames.
 */
public final class RoomCursor {

    /** Live messages held per connection and room while waiting for their turn. */
    public static final int MAX_HELD = 1000;

    private final Connection connection;
    /** Highest seq sent; -1 until the cursor is placed (join, replay): live messages are held until then. */
    private long sent = -1;
    /** The highest seq the client was given besides this cursor's frames: its own message's receipt, a page. */
    private long givenElsewhere;
    private long acked;
    /** The furthest this connection said its reader read (an ack's {@code read}): only a further one is told. */
    private long read;
    private boolean filling;
    /** After a capped replay the client pages with {@code sync}; live messages wait until it reaches the top. */
    private boolean awaitingSync;
    private final TreeMap<Long, EncodedFrame> held = new TreeMap<>();
    /**
     * The highest seq dropped because the hold was full; the gap stays open until it is sent. A fill reads a
     * page, which may end below it, so the drop is forgotten only once the sent seq passes it.
     */
    private long highestDropped;
    /** When the oldest unfilled gap was first seen (held messages above a missing seq); 0 when none. */
    private long gapSince;
    /** When sent messages first went unacked; 0 when everything sent is acked. */
    private long unackedSince;
    private int resends;

    RoomCursor(Connection connection) {
        this.connection = connection;
    }

    /**
     * A live message of the room.
     *
     * @return whether it was new here, sent or held: a repeated send is published again, and a reader that has
     *         the message already drops it
     */
    public synchronized boolean live(long seq, EncodedFrame frame, long now) {
        if (sent >= 0 && seq <= sent) {
            return false;
        }
        if (sent >= 0 && seq == sent + 1 && !filling && !awaitingSync) {
            send(seq, frame, now);
            drainHeld(now);
            return true;
        }
        return hold(seq, frame, now);
    }

    /**
     * Places the cursor: everything up to {@code seq} counts as sent (e.g. the room's seq when joining).
     *
     * @param verify whether the next sweep should look in the store for messages after {@code seq} that
     *               were posted before the cursor existed
     */
    public synchronized void placeAt(long seq, long now, boolean verify) {
        sent = Math.max(sent, seq);
        drainHeld(now);
        if (verify && gapSince == 0) {
            gapSince = now;
        }
    }

    /** A read from the store begins: live messages are held until {@link #endFill}. */
    public synchronized long beginFill() {
        filling = true;
        return Math.max(sent, 0);
    }

    /**
     * A message read from the store, in ascending order from the seq sent; those sent already are skipped. One
     * above the next seq is the oldest the store still holds: seqs become visible in order (the room's row lock),
     * so the ones before it were removed (retention) and will never come; waiting for them would stop the room.
     */
    public synchronized void stored(long seq, EncodedFrame frame, long now) {
        if (sent >= 0 && seq > sent) {
            send(seq, frame, now);
        }
    }

    /** The read from the store ended; held messages that are now in order go out. */
    public synchronized void endFill(long now) {
        filling = false;
        drainHeld(now);
    }

    /** The replay stopped at its cap: the client pages with {@code sync}, and live messages wait for that. */
    public synchronized void awaitSync() {
        awaitingSync = true;
    }

    /** The client's {@code sync} reached the room's newest message (seq {@code upTo}). */
    public synchronized void syncedTo(long upTo, long now) {
        if (awaitingSync) {
            awaitingSync = false;
            sent = Math.max(sent, upTo);
            drainHeld(now);
        }
    }

    public synchronized long sent() {
        return sent;
    }

    /** The client was given this seq another way: the receipt of its own message, a {@code sync} page. */
    public synchronized void given(long seq) {
        givenElsewhere = Math.max(givenElsewhere, seq);
    }

    /** The highest seq the client can hold: what was sent to it, or given it another way. */
    public synchronized long ackable() {
        return Math.max(sent, givenElsewhere);
    }

    /** Whether the reader read further on this connection than it said before; the cursor keeps the furthest. */
    public synchronized boolean readTo(long seq) {
        if (seq <= read) {
            return false;
        }
        read = seq;
        return true;
    }

    public synchronized void acked(long seq, long now) {
        if (seq <= acked) {
            return;
        }
        acked = seq;
        resends = 0;
        unackedSince = acked >= sent ? 0 : now;
    }

    /** Whether messages are missing below held ones, or were dropped, for longer than {@code holdMillis}. */
    public synchronized boolean needsFill(long now, long holdMillis) {
        return sent >= 0 && !filling && !awaitingSync && gapSince > 0 && now - gapSince >= holdMillis;
    }

    /**
     * Whether nothing waits behind the gap: no message held, and none dropped from a full hold that was not sent
     * since. Then the gap is closed, or all it waits for is the check after a join (see {@link #placeAt}) for
     * messages posted while the join was under way, which the room's newest seq can answer.
     */
    public synchronized boolean holdsNothing() {
        return held.isEmpty() && highestDropped <= sent;
    }

    /**
     * Closes a gap in which nothing is held without reading the room's messages: the store's newest seq,
     * read at {@code readAt}, was sent already, and the gap began before that read (a message posted later
     * reached this cursor live).
     *
     * @return whether the gap is closed
     */
    public synchronized boolean closeGap(long newest, long readAt) {
        if (!gapBegunBefore(readAt) || !holdsNothing() || newest > sent) {
            return false;
        }
        gapSince = 0;
        return true;
    }

    /**
     * Whether messages up to {@code seq} are not all sent, and nothing under way brings them: the cursor is
     * placed, no fill is reading, and the client is not paging with {@code sync}.
     */
    public synchronized boolean isBehind(long seq) {
        return sent >= 0 && sent < seq && !filling && !awaitingSync;
    }

    /** Whether there is a gap, and it began before {@code millis}. */
    public synchronized boolean gapBegunBefore(long millis) {
        return gapSince > 0 && gapSince < millis;
    }

    /**
     * Whether sent messages went unacked for {@code afterMillis}; if so, counts a resend and restarts the
     * wait. The caller resends from the acked seq + 1.
     */
    public synchronized boolean resendDue(long now, long afterMillis) {
        if (filling || unackedSince == 0 || now - unackedSince < afterMillis) {
            return false;
        }
        resends++;
        unackedSince = now;
        return true;
    }

    /** Resends since the last ack: a connection that never acks is closed rather than resent to forever. */
    public synchronized int resends() {
        return resends;
    }

    /** Rewinds to the acked seq, so that the next fill sends everything after it again. */
    public synchronized void rewindToAcked() {
        sent = acked;
    }

    private void send(long seq, EncodedFrame frame, long now) {
        connection.send(frame);
        sent = seq;
        if (unackedSince == 0 && seq > acked) {
            unackedSince = now;
        }
    }

    /** @return whether it is held now and was not before (one past the bound is dropped: a fill brings it) */
    private boolean hold(long seq, EncodedFrame frame, long now) {
        boolean added = false;
        if (held.size() < MAX_HELD) {
            added = held.putIfAbsent(seq, frame) == null;
        } else if (!held.containsKey(seq)) {
            highestDropped = Math.max(highestDropped, seq);
        }
        if (gapSince == 0) {
            gapSince = now;
        }
        return added;
    }

    private void drainHeld(long now) {
        if (filling || awaitingSync || sent < 0) {
            return;
        }
        while (!held.isEmpty()) {
            Map.Entry<Long, EncodedFrame> first = held.firstEntry();
            if (first.getKey() <= sent) {
                held.pollFirstEntry();
            } else if (first.getKey() == sent + 1) {
                held.pollFirstEntry();
                send(first.getKey(), first.getValue(), now);
            } else {
                break;
            }
        }
        gapSince = holdsNothing() ? 0 : (gapSince == 0 ? now : gapSince);
    }
}
