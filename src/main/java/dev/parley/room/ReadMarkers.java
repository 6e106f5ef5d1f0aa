package dev.parley.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Read markers on their way to the store. Every connection acks about once a second per room, so a node with
 * thousands of readers would spend a transaction per ack; instead the highest acked seq per room and user waits
 * here and the sweep writes all of them in one transaction every {@link #FLUSH_MILLIS}, when a reader's many
 * acks have become one. A user's markers are written before anything reads them ({@link #flush(String)} at
 * hello). A crash loses at most those last seconds of acks, and what it loses is only replayed once more, which
 * the contract allows (delivery is at-least-once). Bounded by the memberships of the users online, not by the
 * number of acks.
 */
public final class ReadMarkers {

    private static final Logger LOG = Logger.getLogger(ReadMarkers.class.getName());

    /** How often waiting markers are written. */
    public static final long FLUSH_MILLIS = 5000;

    private final Consumer<List<RoomStore.Ack>> store;
    private final Map<RoomStore.Ack, Long> pending = new ConcurrentHashMap<>();

    /** @param store writes a batch of markers in one transaction, as {@link RoomStore#ack} does */
    public ReadMarkers(Consumer<List<RoomStore.Ack>> store) {
        this.store = store;
    }

    /** The user has every message of the room up to {@code seq}; written with the next flush. */
    public void ack(String room, String user, long seq) {
        pending.merge(new RoomStore.Ack(room, user, 0), seq, Math::max);
    }

    /** Writes every waiting marker; those that fail to be written wait for the next flush. */
    public void flush() {
        write(List.copyOf(pending.keySet()));
    }

    /** Writes the user's waiting markers, before their rooms and unread counts are read. */
    public void flush(String user) {
        write(pending.keySet().stream().filter(key -> key.user().equals(user)).toList());
    }

    private void write(List<RoomStore.Ack> keys) {
        List<RoomStore.Ack> batch = new ArrayList<>(keys.size());
        for (RoomStore.Ack key : keys) {
            Long seq = pending.remove(key);
            if (seq != null) {
                batch.add(new RoomStore.Ack(key.room(), key.user(), seq));
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            store.accept(batch);
        } catch (RuntimeException e) {
            // The store is away (readiness says so): keep them, unless a newer ack came in meanwhile.
            batch.forEach(ack -> pending.merge(new RoomStore.Ack(ack.room(), ack.user(), 0), ack.seq(), Math::max));
            LOG.log(Level.WARNING, batch.size() + " read markers not written; trying again", e);
        }
    }
}
