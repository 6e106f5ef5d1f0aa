package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReadMarkersTest {

    private final List<List<RoomStore.Ack>> written = new ArrayList<>();
    private boolean storeDown;
    private final ReadMarkers markers = new ReadMarkers(batch -> {
        if (storeDown) {
            throw new IllegalStateException("database unreachable");
        }
        written.add(batch);
    });

    @Test
    void manyAcksBecomeOneWriteOfTheHighestSeqPerRoomAndUser() {
        markers.ack("lobby", "ann", 3);
        markers.ack("lobby", "ann", 7);
        markers.ack("lobby", "ann", 5); // late, lower: never moves the marker down
        markers.ack("lobby", "bob", 2);
        markers.ack("kitchen", "ann", 1);
        markers.flush();
        assertEquals(1, written.size(), "one transaction");
        assertEquals(Set.of(new RoomStore.Ack("lobby", "ann", 7), new RoomStore.Ack("lobby", "bob", 2),
                new RoomStore.Ack("kitchen", "ann", 1)), Set.copyOf(written.get(0)));
        markers.flush();
        assertEquals(1, written.size(), "nothing waiting: no write");
    }

    @Test
    void aUsersMarkersCanBeWrittenAheadOfTheOthers() {
        markers.ack("lobby", "ann", 4);
        markers.ack("lobby", "bob", 9);
        markers.flush("ann");
        assertEquals(List.of(List.of(new RoomStore.Ack("lobby", "ann", 4))), written);
        markers.flush();
        assertEquals(List.of(new RoomStore.Ack("lobby", "bob", 9)), written.get(1));
    }

    @Test
    void markersThatFailToBeWrittenWaitForTheNextFlush() {
        markers.ack("lobby", "ann", 4);
        storeDown = true;
        markers.flush();
        assertTrue(written.isEmpty());
        markers.ack("lobby", "ann", 6); // a newer ack while the store was away wins
        storeDown = false;
        markers.flush();
        assertEquals(List.of(new RoomStore.Ack("lobby", "ann", 6)), written.get(0));
    }

    @Test
    void anOlderFailedBatchDoesNotOverwriteANewerAck() {
        markers.ack("lobby", "ann", 4);
        storeDown = true;
        markers.flush();
        markers.ack("lobby", "ann", 2);
        storeDown = false;
        markers.flush();
        assertEquals(Set.of(4L), written.get(0).stream().map(RoomStore.Ack::seq).collect(Collectors.toSet()));
    }
}
