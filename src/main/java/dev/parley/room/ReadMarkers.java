package dev.parley.room;

import dev.parley.cluster.NodeEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Read markers on their way to the store. Every connection acks about once a second per room, so a node with
 * thousands of readers would spend a transaction per ack; instead the highest seqs acked and read per room and user
 * wait here, and the sweep writes them in turns: each second one of {@link #TURNS} shares of the users (by their
 * name's hash), so every user's markers are written every {@link #TURNS} seconds, when a reader's many acks have
 * become one, and no second writes all of them. A user's markers are written before anything reads them
 * ({@link #flush(String)} at hello). A marker stays here until its write has committed, so that hello never finds
 * it gone while a turn is still writing it; writing it twice does no harm, as the store keeps the higher seq. A
 * crash loses at most those last seconds of acks, and what it loses is only replayed (or counted unread) once more,
 * which the contract allows (delivery is at-least-once). Bounded by the memberships of the users online, not by the
 * number of acks.
 */
public final class ReadMarkers {

    private static final Logger LOG = Logger.getLogger(ReadMarkers.class.getName());

    /** Into how many shares the users fall: one is written per {@link #flushTurn()}. */
    static final int TURNS = 5;
    /** The most markers one transaction writes. */
    static final int PER_TRANSACTION = 25;
    private static final Comparator<Taken> BY_USER_AND_ROOM =
            Comparator.comparing(Taken::user).thenComparing(Taken::room);

    private final Consumer<List<RoomStore.Ack>> store;
    private final Consumer<List<NodeEvent.Reading>> told;
    /**
     * By user, then room: the highest seqs acked and read, not written yet. A user's map is read and changed only
     * inside {@code compute}, atomic for that user, so no ack falls between a copy and a removal.
     */
    private final Map<String, Map<String, Marks>> pending = new ConcurrentHashMap<>();
    /**
     * Whose share the next turn writes. Only the sweep takes turns; were two to overlap, a share would wait a
     * turn longer, and nothing would be lost.
     */
    private volatile int turn;

    /**
     * @param store writes a batch of markers in one transaction, as {@link RoomStore#ack} does
     * @param told  takes the read markers just written, for the users' other connections (on every node)
     */
    public ReadMarkers(Consumer<List<RoomStore.Ack>> store, Consumer<List<NodeEvent.Reading>> told) {
        this.store = store;
        this.told = told;
    }

    /**
     * The user has every message of the room up to {@code seq} and has read them up to {@code read}, further than
     * before on connection {@code by} (null: nothing further); written at the user's next turn.
     */
    public void ack(String room, String user, long seq, long read, String by) {
        pending.compute(user, (u, rooms) -> {
            Map<String, Marks> marks = rooms == null ? new HashMap<>() : rooms;
            marks.merge(room, new Marks(seq, read, by), Marks::higher);
            return marks;
        });
    }

    /** Writes the next share of users' waiting markers; those that fail to be written wait for their next turn. */
    public void flushTurn() {
        int share = turn;
        turn = (turn + 1) % TURNS;
        List<Taken> batch = new ArrayList<>();
        for (String user : pending.keySet()) {
            if (Math.floorMod(user.hashCode(), TURNS) == share) {
                take(user, batch);
            }
        }
        write(batch);
    }

    /** Writes every waiting marker (the node is going away); those that fail to be written are lost. */
    public void flush() {
        List<Taken> batch = new ArrayList<>();
        for (String user : pending.keySet()) {
            take(user, batch);
        }
        write(batch);
    }

    /** Writes the user's waiting markers, before their rooms and unread counts are read. */
    public void flush(String user) {
        List<Taken> batch = new ArrayList<>();
        take(user, batch);
        write(batch);
    }

    /** Copies the user's waiting markers into the batch; they stay waiting until written ({@link #written}). */
    private void take(String user, List<Taken> batch) {
        pending.computeIfPresent(user, (u, marks) -> {
            marks.forEach((room, mark) -> batch.add(new Taken(u, room, mark)));
            return marks;
        });
    }

    /** Drops a committed marker, unless a newer ack came in while it was being written. */
    private void written(Taken taken) {
        pending.computeIfPresent(taken.user(), (u, marks) -> {
            marks.remove(taken.room(), taken.marks());
            return marks.isEmpty() ? null : marks;
        });
    }

    /**
     * In transactions of at most {@link #PER_TRANSACTION}: one of a whole node's readers (2,000 updates) took 55
     * to 173 ms on H2 and held up the messages committed meanwhile, most of the sends slower than 20 ms
     * (performance.md item 26). After a failure the rest is not tried: the store is away. The read markers
     * written are told once, at the end.
     */
    private void write(List<Taken> batch) {
        // One order for every write, so that a turn and a hello writing the same rows cannot deadlock.
        batch.sort(BY_USER_AND_ROOM);
        List<NodeEvent.Reading> readings = new ArrayList<>();
        for (int from = 0; from < batch.size(); from += PER_TRANSACTION) {
            List<Taken> part = batch.subList(from, Math.min(batch.size(), from + PER_TRANSACTION));
            try {
                store.accept(part.stream().map(Taken::ack).toList());
            } catch (RuntimeException e) {
                // The store is away (readiness says so): the rest stays waiting for the next turn.
                LOG.log(Level.WARNING, batch.size() - from + " read markers not written; trying again", e);
                break;
            }
            part.forEach(this::written);
            part.stream().filter(taken -> taken.marks().readBy() != null).map(Taken::reading).forEach(readings::add);
        }
        tell(readings);
    }

    /** A word lost (the grid away) only leaves another device's counts as they were until its next welcome. */
    private void tell(List<NodeEvent.Reading> readings) {
        if (readings.isEmpty()) {
            return;
        }
        try {
            told.accept(readings);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, readings.size() + " read markers written but not told to other connections", e);
        }
    }

    /**
     * A room's two markers for one user: each only ever moves up. {@code readBy} is the connection that read up
     * to {@code read}, null when no ack in it read further (nothing to tell).
     */
    private record Marks(long acked, long read, String readBy) {

        Marks higher(Marks other) {
            long highest = Math.max(acked, other.acked);
            boolean further = other.read > read || other.read == read && readBy == null;
            return further ? new Marks(highest, other.read, other.readBy) : new Marks(highest, read, readBy);
        }
    }

    /** A user's markers in a room, taken for a write. */
    private record Taken(String user, String room, Marks marks) {

        RoomStore.Ack ack() {
            return new RoomStore.Ack(room, user, marks.acked(), marks.read());
        }

        NodeEvent.Reading reading() {
            return new NodeEvent.Reading(user, room, marks.read(), marks.readBy());
        }
    }
}
