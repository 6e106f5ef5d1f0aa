package dev.parley.room;

import java.util.ArrayList;
import java.util.HashMap;
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
    /**
     * By user, then room: the highest seq acked and not written yet. A user's map is changed only inside
     * {@code compute} and taken whole with {@code remove}, both atomic for that user, so no ack falls between.
     */
    private final Map<String, Map<String, Long>> pending = new ConcurrentHashMap<>();

    /** @param store writes a batch of markers in one transaction, as {@link RoomStore#ack} does */
    public ReadMarkers(Consumer<List<RoomStore.Ack>> store) {
        this.store = store;
    }

    /** The user has every message of the room up to {@code seq}; written with the next flush. */
    public void ack(String room, String user, long seq) {
        pending.compute(user, (u, rooms) -> {
            Map<String, Long> marks = rooms == null ? new HashMap<>() : rooms;
            marks.merge(room, seq, Math::max);
            return marks;
        });
    }

    /** Writes every waiting marker; those that fail to be written wait for the next flush. */
    public void flush() {
        List<RoomStore.Ack> batch = new ArrayList<>();
        for (String user : pending.keySet()) {
            take(user, batch);
        }
        write(batch);
    }

    /** Writes the user's waiting markers, before their rooms and unread counts are read. */
    public void flush(String user) {
        List<RoomStore.Ack> batch = new ArrayList<>();
        take(user, batch);
        write(batch);
    }

    private void take(String user, List<RoomStore.Ack> batch) {
        Map<String, Long> marks = pending.remove(user);
        if (marks != null) {
            marks.forEach((room, seq) -> batch.add(new RoomStore.Ack(room, user, seq)));
        }
    }

    private void write(List<RoomStore.Ack> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            store.accept(batch);
        } catch (RuntimeException e) {
            // The store is away (readiness says so): keep them, unless a newer ack came in meanwhile.
            batch.forEach(ack -> ack(ack.room(), ack.user(), ack.seq()));
            LOG.log(Level.WARNING, batch.size() + " read markers not written; trying again", e);
        }
    }
}
