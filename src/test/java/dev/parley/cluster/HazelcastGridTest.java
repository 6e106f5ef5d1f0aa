package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bus and presence on a real Hazelcast member of its own (on 127.0.0.1, joining nobody), as Payara's would be. */
class HazelcastGridTest {

    private static HazelcastInstance hazelcast;

    @BeforeAll
    static void member() throws IOException {
        hazelcast = newMember();
    }

    /** A member of a cluster of its own. */
    private static HazelcastInstance newMember() throws IOException {
        return newMember("parley-test-" + UUID.randomUUID(), freePort(), null);
    }

    /** A member of the named cluster on the port, joining over tcp-ip the one on {@code peerPort} (when not null). */
    private static HazelcastInstance newMember(String cluster, int port, Integer peerPort) {
        Config config = new Config().setClusterName(cluster);
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        NetworkConfig network = config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        network.getJoin().getMulticastConfig().setEnabled(false);
        network.getJoin().getAutoDetectionConfig().setEnabled(false);
        if (peerPort != null) {
            network.getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + peerPort);
        }
        return Hazelcast.newHazelcastInstance(config);
    }

    @AfterAll
    static void stop() {
        hazelcast.shutdown();
    }

    /** Readiness asks the grid's state: a stopped member is "down", not an exception (a 500 without a body). */
    @Test
    void aStoppedMemberIsDownForReadiness() throws IOException {
        Grid.HazelcastGrid grid = new Grid.HazelcastGrid(newMember());
        assertEquals(new Grid.State(true, true, 1), Grid.stateOf(grid));
        grid.instance().shutdown();
        assertEquals(new Grid.State(true, false, 0), Grid.stateOf(grid));
    }

    /** A redeploy: the old copy of the application closes its bus, the new one opens its own on the same grid. */
    @Test
    void aClosedBusHearsNothingMoreWhileTheNextOneHearsEverything() {
        HazelcastClusterBus old = new HazelcastClusterBus(hazelcast);
        List<String> heardByOld = new CopyOnWriteArrayList<>();
        old.subscribe(event -> heardByOld.add(event.room()));
        old.publish(new RoomEvent.Broadcast("before", "{}", null));
        waitUntil(() -> heardByOld.equals(List.of("before")));

        old.close();
        HazelcastClusterBus next = new HazelcastClusterBus(hazelcast);
        List<String> heardByNext = new CopyOnWriteArrayList<>();
        next.subscribe(event -> heardByNext.add(event.room()));
        List<String> rooms = List.of("a", "b", "c", "d", "e");
        rooms.forEach(room -> next.publish(new RoomEvent.Broadcast(room, "{}", null)));
        waitUntil(() -> heardByNext.equals(rooms));
        // One event thread hands a topic's events to all its listeners in turn: an old listener left would have
        // been handed "a" before the new one was handed "e".
        assertEquals(List.of("before"), heardByOld);
        next.close();
    }

    /**
     * Read markers go on a topic of their own, beside the node events: a kick published behind a burst of them is
     * heard all the same, and a closed bus hears neither any more.
     */
    @Test
    void readMarkersAndNodeEventsBothReachTheReceiversUntilClosed() {
        HazelcastClusterBus bus = new HazelcastClusterBus(hazelcast);
        List<NodeEvent> heard = new CopyOnWriteArrayList<>();
        bus.subscribeToNodeEvents(heard::add);
        List<String> onReadTopic = new CopyOnWriteArrayList<>();
        UUID watchingReads = hazelcast.<String>getTopic(HazelcastClusterBus.READ_TOPIC)
                .addMessageListener(message -> onReadTopic.add(message.getMessageObject()));
        List<String> onNodeTopic = new CopyOnWriteArrayList<>();
        UUID watchingNodes = hazelcast.<String>getTopic(HazelcastClusterBus.NODE_TOPIC)
                .addMessageListener(message -> onNodeTopic.add(message.getMessageObject()));
        List<NodeEvent.ReadUpTo> reads = IntStream.range(0, 100).mapToObj(i -> new NodeEvent.ReadUpTo(
                List.of(new NodeEvent.Reading("ann", "lobby", i, "c1")))).toList();
        reads.forEach(bus::publish);
        bus.publish(new NodeEvent.Kick("eve"));
        waitUntil(() -> heard.size() == reads.size() + 1);
        assertEquals(reads, heard.stream().filter(NodeEvent.ReadUpTo.class::isInstance).toList(), "in order");
        assertTrue(heard.contains(new NodeEvent.Kick("eve")));
        waitUntil(() -> onReadTopic.size() == reads.size() && onNodeTopic.size() == 1);
        assertEquals(reads.stream().map(NodeEvent::encode).toList(), onReadTopic, "the read markers on theirs");
        assertEquals(List.of(NodeEvent.encode(new NodeEvent.Kick("eve"))), onNodeTopic, "the kick on the other");
        hazelcast.getTopic(HazelcastClusterBus.READ_TOPIC).removeMessageListener(watchingReads);
        hazelcast.getTopic(HazelcastClusterBus.NODE_TOPIC).removeMessageListener(watchingNodes);

        bus.close();
        HazelcastClusterBus next = new HazelcastClusterBus(hazelcast);
        List<NodeEvent> heardByNext = new CopyOnWriteArrayList<>();
        next.subscribeToNodeEvents(heardByNext::add);
        next.publish(reads.get(0));
        next.publish(new NodeEvent.Kick("eve"));
        waitUntil(() -> heardByNext.size() == 2);
        assertEquals(reads.size() + 1, heard.size(), "the closed bus heard nothing more");
        next.close();
    }

    /** Reports after the node moved on change nothing; the one of the node's state as it is now counts. */
    @Test
    void presenceTakesAReportOnlyWhenTheNodeIsStillAsItSays() {
        HazelcastPresence presence = new HazelcastPresence(hazelcast, "node-1", Runnable::run);
        try {
            assertFalse(presence.arrived("lobby", "ann", () -> false), "closed before its arrival was reported");
            assertEquals(List.of(), presence.online("lobby"));

            assertTrue(presence.arrived("lobby", "ann", () -> true));
            assertFalse(presence.departed("lobby", "ann", () -> true), "another connection of hers came meanwhile");
            assertEquals(List.of("ann"), presence.online("lobby"));
            assertEquals(1, presence.count("lobby"));

            assertTrue(presence.departed("lobby", "ann", () -> false));
            assertEquals(0, presence.count("lobby"));
        } finally {
            presence.close();
        }
    }

    /**
     * The survivors take a node that left out of every presence entry and the connection list, all of it though
     * one entry fails (here the listener told of the first user gone offline throws): the event comes once.
     */
    @Test
    void aNodeThatLeftIsTakenOutOfEveryEntryThoughOneFails() throws IOException {
        String cluster = "parley-test-" + UUID.randomUUID();
        int survivorPort = freePort();
        HazelcastInstance first = newMember(cluster, survivorPort, survivorPort); // tcp-ip, as the other joins
        HazelcastInstance second = newMember(cluster, freePort(), survivorPort);
        HazelcastPresence survivor = new HazelcastPresence(first, "survivor", Runnable::run);
        try {
            waitUntil(() -> first.getCluster().getMembers().size() == 2);
            HazelcastPresence leaving = new HazelcastPresence(second, "leaving", Runnable::run);
            List<String> offline = new CopyOnWriteArrayList<>();
            survivor.whenNodeLeaves((room, user) -> {
                offline.add(user);
                if (offline.size() == 1) {
                    throw new IllegalStateException("a listener's error");
                }
            });
            assertTrue(leaving.arrived("one", "ann", () -> true));
            assertTrue(leaving.arrived("two", "bob", () -> true));
            leaving.connected("c1", "ann", "127.0.0.1", Instant.now());
            assertTrue(survivor.arrived("three", "carol", () -> true));
            assertEquals(1, survivor.connectionsElsewhere().size());

            leaving.close();
            second.shutdown();
            // The connections go after the entries.
            waitUntil(() -> offline.size() == 2 && survivor.connectionsElsewhere().isEmpty());
            assertEquals(List.of(), survivor.online("one"));
            assertEquals(List.of(), survivor.online("two"));
            assertEquals(List.of("carol"), survivor.online("three"), "the survivor's own stay");
        } finally {
            survivor.close();
            first.shutdown();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
