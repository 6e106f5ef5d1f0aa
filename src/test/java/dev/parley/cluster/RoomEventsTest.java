package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoomEventsTest {

    @Test
    void everyEventCrossesTheGridUnchanged() {
        List<RoomEvent> events = List.of(
                new RoomEvent.Posted("lobby", 7, "ann", "{\"type\":\"message\"}", "{\"clientMsgId\":\"c\"}"),
                new RoomEvent.Posted("lobby", 8, "ann", "{\"kind\":\"deleted\"}", "{\"kind\":\"deleted\"}", false),
                new RoomEvent.Broadcast("lobby", "{\"type\":\"typing\",\"user\":\"ann \\\"x\\\"\"}", "ann"),
                new RoomEvent.Broadcast("lobby", "{\"type\":\"presence\"}", null),
                new RoomEvent.Membership("lobby", "bob", true, 12, "{\"type\":\"joined\"}"),
                new RoomEvent.Membership("lobby", "bob", false, 0, null),
                new RoomEvent.Membership("lobby", "bob", true, 3, "{\"type\":\"joined\"}", "connection-1"));
        for (RoomEvent event : events) {
            assertEquals(event, RoomEvents.decode(RoomEvents.encode(event)));
        }
    }

    @Test
    void nodeEventsCrossTheGridUnchanged() {
        for (NodeEvent event : List.of(new NodeEvent.Kick("ann \"x\""), new NodeEvent.SignedOut("ann", 7, true),
                new NodeEvent.ModerationChanged(), new NodeEvent.LimitsChanged(),
                new NodeEvent.ReadUpTo(List.of(new NodeEvent.Reading("ann", "lobby", 9_007_199_254_740_993L, "c1"),
                        new NodeEvent.Reading("bob", "kitchen", 1, "c2"))))) {
            assertEquals(event, NodeEvent.decode(NodeEvent.encode(event)));
        }
    }

    @Test
    void textFromAnotherVersionIsRefusedNotMisread() {
        assertThrows(IllegalArgumentException.class, () -> RoomEvents.decode("{\"room\":\"r\",\"kind\":\"future\"}"));
        assertThrows(IllegalArgumentException.class, () -> NodeEvent.decode("{\"kind\":\"future\"}"));
    }
}
