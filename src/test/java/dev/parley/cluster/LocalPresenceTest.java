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
        assertTrue(presence.arrived("lobby", "ann"));
        assertFalse(presence.arrived("lobby", "ann"), "already online");
        assertTrue(presence.arrived("lobby", "bob"));
        assertEquals(List.of("ann", "bob"), presence.online("lobby"));
        assertTrue(presence.departed("lobby", "ann"));
        assertFalse(presence.departed("lobby", "ann"));
        assertEquals(1, presence.count("lobby"));
        assertEquals(0, presence.count("kitchen"));
    }
}
