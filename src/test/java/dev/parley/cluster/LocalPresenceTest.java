package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocalPresenceTest {

    @Test
    void aSingleNodesPresenceCountsEachUserOnce() {
        LocalPresence presence = new LocalPresence();
        assertTrue(presence.arrived("lobby", "ann", () -> true));
        assertFalse(presence.arrived("lobby", "ann", () -> true), "already online");
        assertTrue(presence.arrived("lobby", "bob", () -> true));
        assertEquals(List.of("ann", "bob"), presence.online("lobby"));
        assertTrue(presence.departed("lobby", "ann", () -> false));
        assertFalse(presence.departed("lobby", "ann", () -> false));
        assertEquals(1, presence.count("lobby"));
        assertEquals(0, presence.count("kitchen"));
    }

    /** A report that the node's state no longer matches changes nothing: the report of the change after it did. */
    @Test
    void aReportTheNodeHasMovedPastChangesNothing() {
        LocalPresence presence = new LocalPresence();
        assertFalse(presence.arrived("lobby", "ann", () -> false), "gone again before it was reported");
        assertEquals(List.of(), presence.online("lobby"));
        assertEquals(0, presence.count("lobby"));

        assertTrue(presence.arrived("lobby", "ann", () -> true));
        assertFalse(presence.departed("lobby", "ann", () -> true), "another connection came meanwhile");
        assertEquals(List.of("ann"), presence.online("lobby"));
    }
}
