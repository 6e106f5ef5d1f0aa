package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.cluster.NodeEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReadMarkersTest {

    private final List<List<RoomStore.Ack>> written = new ArrayList<>();
    private final List<NodeEvent.Reading> told = new ArrayList<>();
    private boolean storeDown;
    /** How many more transactions succeed before the store goes away; negative: never goes. */
    private int storeGoesAfter = -1;
    /** Runs once inside the next write, before it commits: what a hello does while a turn is writing. */
    private Runnable meanwhile;
    private final ReadMarkers markers = new ReadMarkers(batch -> {
        if (meanwhile != null) {
            Runnable hello = meanwhile;
            meanwhile = null;
            hello.run();
        }
        if (storeDown || storeGoesAfter-- == 0) {
            storeDown = true;
            throw new IllegalStateException("database unreachable");
        }
        written.add(batch);
    }, told::addAll);

    @Test
    void eachMarkerKeepsItsOwnHighest() {
        markers.ack("lobby", "ann", 9, 2, "tab"); // a room not looked at: had, not read
        markers.ack("lobby", "ann", 6, 6, "tab"); // late, lower, and read
        everyTurn();
        assertEquals(List.of(new RoomStore.Ack("lobby", "ann", 9, 6)), allWritten());
    }

    @Test
    void theReadMarkersWrittenAreToldWithTheConnectionThatRead() {
        markers.ack("lobby", "ann", 9, 2, "phone");
        markers.ack("lobby", "ann", 9, 6, "laptop");
        markers.ack("lobby", "ann", 9, 6, "phone"); // as far, not further: the laptop read it first
        markers.ack("lobby", "bob", 3, 0, null); // held, nothing read further: nothing to tell
        everyTurn();
        assertEquals(List.of(new NodeEvent.Reading("ann", "lobby", 6, "laptop")), told);
    }

    @Test
    void nothingIsToldOfMarkersNotWritten() {
        storeDown = true;
        markers.ack("lobby", "ann", 4, 4, "tab");
        everyTurn();
        assertEquals(List.of(), told, "the store was away");
        storeDown = false;
        everyTurn();
        assertEquals(List.of(new NodeEvent.Reading("ann", "lobby", 4, "tab")), told, "written at the next turn");
    }

    @Test
    void manyAcksBecomeOneWriteOfTheHighestSeqPerRoomAndUser() {
        markers.ack("lobby", "ann", 3, 3, "tab");
        markers.ack("lobby", "ann", 7, 7, "tab");
        markers.ack("lobby", "ann", 5, 5, "tab"); // late, lower: never moves the marker down
        markers.ack("lobby", "bob", 2, 2, "tab");
        markers.ack("kitchen", "ann", 1, 1, "tab");
        everyTurn();
        assertEquals(List.of(new RoomStore.Ack("kitchen", "ann", 1, 1), new RoomStore.Ack("lobby", "ann", 7, 7),
                new RoomStore.Ack("lobby", "bob", 2, 2)), allWritten());
        assertEquals(1, written.stream().filter(batch -> batch.stream().anyMatch(a -> a.user().equals("ann")))
                .count(), "a user's rooms in one transaction");
        int transactions = written.size();
        everyTurn();
        assertEquals(transactions, written.size(), "nothing waiting: no write");
    }

    @Test
    void everyUserIsWrittenOnceInEachRoundOfTurnsAndNoTurnWritesThemAll() {
        for (int user = 0; user < 1000; user++) {
            markers.ack("lobby", "user" + user, 7, 7, "tab");
        }
        List<Integer> perTurn = new ArrayList<>();
        for (int turn = 0; turn < ReadMarkers.TURNS; turn++) {
            int before = allWritten().size();
            markers.flushTurn();
            perTurn.add(allWritten().size() - before);
        }
        assertEquals(1000, allWritten().stream().map(RoomStore.Ack::user).distinct().count());
        assertEquals(1000, allWritten().size(), "each once");
        assertTrue(perTurn.stream().allMatch(n -> n > 100 && n < 300), "shares of about a fifth: " + perTurn);
    }

    @Test
    void aUserWhoAcksAgainIsWrittenAtTheirNextTurn() {
        markers.ack("lobby", "ann", 1, 1, "tab");
        int turns = 0;
        while (written.isEmpty()) {
            markers.flushTurn();
            turns++;
        }
        assertTrue(turns <= ReadMarkers.TURNS);
        markers.ack("lobby", "ann", 2, 2, "tab");
        for (int turn = 1; turn < ReadMarkers.TURNS; turn++) {
            markers.flushTurn();
        }
        assertEquals(1, written.size(), "not before ann's turn comes round again");
        markers.flushTurn();
        assertEquals(List.of(new RoomStore.Ack("lobby", "ann", 2, 2)), written.get(1));
    }

    @Test
    void aUsersMarkersCanBeWrittenAheadOfTheOthers() {
        markers.ack("lobby", "ann", 4, 4, "tab");
        markers.ack("lobby", "bob", 9, 9, "tab");
        markers.flush("ann");
        assertEquals(List.of(List.of(new RoomStore.Ack("lobby", "ann", 4, 4))), written);
        everyTurn();
        assertEquals(List.of(new RoomStore.Ack("lobby", "bob", 9, 9)), written.get(1));
    }

    @Test
    void aHelloWhileATurnIsWritingTheUsersMarkersWritesThemItselfBeforeReadingThem() {
        markers.ack("lobby", "ann", 4, 4, "tab");
        List<List<RoomStore.Ack>> committedWhenHelloReads = new ArrayList<>();
        meanwhile = () -> {
            markers.flush("ann");
            committedWhenHelloReads.addAll(written);
        };
        everyTurn();
        assertEquals(List.of(List.of(new RoomStore.Ack("lobby", "ann", 4, 4))), committedWhenHelloReads,
                "the new device starts from what ann acked");
        assertEquals(2, written.size(), "written twice, harmless: the store keeps the higher seq");
        everyTurn();
        assertEquals(2, written.size(), "and then no longer waiting");
    }

    @Test
    void markersThatFailToBeWrittenWaitForTheNextTurn() {
        markers.ack("lobby", "ann", 4, 4, "tab");
        storeDown = true;
        everyTurn();
        assertTrue(written.isEmpty());
        markers.ack("lobby", "ann", 6, 6, "tab"); // a newer ack while the store was away wins
        storeDown = false;
        everyTurn();
        assertEquals(List.of(new RoomStore.Ack("lobby", "ann", 6, 6)), written.get(0));
    }

    @Test
    void anOlderFailedBatchDoesNotOverwriteANewerAck() {
        markers.ack("lobby", "ann", 4, 4, "tab");
        storeDown = true;
        everyTurn();
        markers.ack("lobby", "ann", 2, 2, "tab");
        storeDown = false;
        everyTurn();
        assertEquals(Set.of(4L), written.get(0).stream().map(RoomStore.Ack::seq).collect(Collectors.toSet()));
    }

    @Test
    void aWholeNodesReadersAreWrittenInSmallTransactions() {
        for (int user = 0; user < 250; user++) {
            markers.ack("lobby", "user" + user, 7, 7, "tab");
        }
        markers.flush();
        assertEquals(Collections.nCopies(10, ReadMarkers.PER_TRANSACTION),
                written.stream().map(List::size).toList());
        assertEquals(250, allWritten().stream().map(RoomStore.Ack::user).distinct().count(), "each user once");
    }

    @Test
    void whenTheStoreGoesAwayMidFlushTheUnwrittenRestWaitsForTheNextFlush() {
        for (int user = 0; user < 250; user++) {
            markers.ack("lobby", "user" + user, 7, 7, "tab");
        }
        storeGoesAfter = 1;
        markers.flush();
        assertEquals(1, written.size(), "the first went, then none was tried");
        storeDown = false;
        markers.flush();
        assertEquals(10, written.size());
        assertEquals(250, allWritten().stream().map(RoomStore.Ack::user).distinct().count(), "each user once");
    }

    private void everyTurn() {
        for (int turn = 0; turn < ReadMarkers.TURNS; turn++) {
            markers.flushTurn();
        }
    }

    /** Every marker written so far, in order of room, user and seq. */
    private List<RoomStore.Ack> allWritten() {
        return written.stream().flatMap(List::stream).sorted(Comparator.comparing(RoomStore.Ack::room)
                .thenComparing(RoomStore.Ack::user).thenComparingLong(RoomStore.Ack::seq)).toList();
    }
}
