package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.cluster.InMemoryClusterBus;
import dev.parley.cluster.LocalPresence;
import dev.parley.cluster.NodeEvent;
import dev.parley.cluster.Presence;
import dev.parley.cluster.RoomEvent;
import dev.parley.protocol.CloseCodes;
import dev.parley.testing.RecordingOutbound;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class LiveRoomsTest {

    /**
     * These tests give their sweeps steady times of their own; the wall clock, on which tokens expire, stands a
     * minute after the epoch: a token of expiry 30,000 has expired, one of 60,001 has not.
     */
    private static final Clocks CLOCKS = new Clocks(java.time.Clock.fixed(java.time.Instant.ofEpochMilli(60_000),
            java.time.ZoneOffset.UTC), java.time.Clock.systemUTC());
    private final InMemoryClusterBus bus = new InMemoryClusterBus();
    private final LiveRooms live = new LiveRooms(bus, new LocalPresence(), CLOCKS);

    {
        bus.subscribe(live::deliver);
    }

    private record Client(Connection connection, RecordingOutbound out) {
    }

    private Client open(String id, long now) {
        RecordingOutbound out = new RecordingOutbound();
        Connection connection = new Connection(id, "127.0.0.1", out, now, new TokenBucket(20, 40, now),
                new TokenBucket(20, 40, now));
        live.open(connection);
        return new Client(connection, out);
    }

    private Client online(String id, String user, List<String> rooms) {
        Client client = open(id, 0);
        live.authenticate(client.connection(), user, Long.MAX_VALUE, 0, 10);
        client.connection().welcomed();
        live.subscribe(client.connection(), rooms);
        // As the replay after hello does: the rooms are empty, the cursors start at 0.
        rooms.forEach(room -> client.connection().cursor(room).orElseThrow().placeAt(0, 0, false));
        return client;
    }

    @Test
    void presenceCountsUsersNotConnections() {
        Client annPhone = online("1", "ann", List.of("lobby"));
        online("2", "ann", List.of("lobby"));
        Client bob = online("3", "bob", List.of("lobby"));
        assertEquals(List.of("ann", "bob"), live.online("lobby"));
        assertEquals(2, live.onlineCount("lobby"));
        assertEquals(1, annPhone.out().ofType("presence").stream()
                .filter(p -> p.getString("user").equals("ann")).count(), "ann came online once");

        live.close(annPhone.connection());
        assertTrue(bob.out().ofType("presence").stream().noneMatch(p -> !p.getBoolean("online")),
                "ann is still online on her other connection");
        assertEquals(2, live.onlineCount("lobby"));
    }

    @Test
    void theLastConnectionGoingTellsTheRoom() {
        Client ann = online("1", "ann", List.of("lobby", "dev"));
        Client bob = online("2", "bob", List.of("lobby"));
        live.close(ann.connection());
        JsonObject offline = bob.out().last();
        assertEquals("presence", offline.getString("type"));
        assertEquals("ann", offline.getString("user"));
        assertFalse(offline.getBoolean("online"));
        assertEquals(1, offline.getInt("count"));
        assertEquals(0, live.onlineCount("dev"));
        assertTrue(live.connectionsOf("ann").isEmpty());
    }

    /** The socket closes (on its own thread) just before its hello is admitted: nothing of it may stay. */
    @Test
    void aConnectionClosedWhileItsHelloIsAdmittedKeepsNoSlotOfItsUser() {
        Client gone = open("1", 0);
        live.close(gone.connection());
        assertEquals(LiveRooms.SignIn.CLOSED, live.authenticate(gone.connection(), "ann", Long.MAX_VALUE, 0, 1));
        assertTrue(live.connectionsOf("ann").isEmpty());
        Client next = open("2", 0);
        assertEquals(LiveRooms.SignIn.ADMITTED, live.authenticate(next.connection(), "ann", Long.MAX_VALUE, 0, 1),
                "the user's one connection slot is free again");
        assertEquals(LiveRooms.SignIn.TOO_MANY,
                live.authenticate(open("3", 0).connection(), "ann", Long.MAX_VALUE, 0, 1), "and then taken");
    }

    @Test
    void aConnectionClosedWhileItsRoomsAreAddedIsNotLeftOnlineInThem() {
        Client bob = online("1", "bob", List.of("lobby"));
        Client ann = open("2", 0);
        assertEquals(LiveRooms.SignIn.ADMITTED, live.authenticate(ann.connection(), "ann", Long.MAX_VALUE, 0, 10));
        live.close(ann.connection()); // before its rooms were added: close finds none
        live.subscribe(ann.connection(), List.of("lobby"));
        assertEquals(List.of("bob"), live.online("lobby"));
        assertTrue(live.connectionsOf("ann").isEmpty());
        JsonObject last = bob.out().last();
        assertEquals("ann", last.getString("user"));
        assertFalse(last.getBoolean("online"), "bob's last word of ann is that she is offline");
    }

    @Test
    void aRoomNobodyReceivesAnyMoreIsForgotten() {
        Client ann = online("1", "ann", List.of("lobby", "dev"));
        Client bob = online("2", "bob", List.of("lobby"));
        assertEquals(2, live.roomsReceived());
        live.memberLeft("dev", "ann");
        assertEquals(1, live.roomsReceived());
        live.close(ann.connection());
        live.close(bob.connection());
        assertEquals(0, live.roomsReceived());
    }

    /** One of the user's connections closes while a join admits the room to all of them (another thread). */
    @Test
    void aConnectionClosedWhileARoomIsAdmittedIsNotLeftInIt() {
        HookedPresence presence = new HookedPresence();
        Connection phone = connection("1");
        Connection laptop = connection("2");
        LiveRooms live = annSignedInOn(presence, phone, laptop);
        presence.onArrived = () -> live.close(live.connectionsOf("ann").stream().skip(1).findFirst().orElseThrow());

        assertTrue(live.admit("lobby", "ann", 0));
        Connection closed = phone.roomNames().isEmpty() ? phone : laptop;
        Connection open = closed == phone ? laptop : phone;
        assertEquals(List.of(), List.copyOf(closed.roomNames()), "the closed one keeps no room");
        assertEquals(List.of("lobby"), List.copyOf(open.roomNames()));
        live.close(open);
        assertEquals(List.of(), live.online("lobby"), "ann went offline with her last connection");
    }

    /**
     * One connection of a user closes while another subscribes, each reporting after its own change: the user
     * is online with the one left.
     */
    @Test
    void aConnectionSubscribingWhileAnotherOfTheUserClosesKeepsTheUserOnline() {
        HookedPresence presence = new HookedPresence();
        Connection phone = connection("1");
        Connection laptop = connection("2");
        LiveRooms live = annSignedInOn(presence, phone, laptop);
        live.subscribe(phone, List.of("lobby"));
        presence.onDeparted = () -> live.subscribe(laptop, List.of("lobby"));

        live.close(phone);

        assertEquals(List.of("ann"), live.online("lobby"), "online on her laptop");
        assertEquals(1, live.onlineCount("lobby"));
    }

    /** One subscribes and closes before its arrival is reported: the user is not left online with no connection. */
    @Test
    void aConnectionClosedBeforeItsArrivalIsReportedLeavesTheUserOffline() {
        HookedPresence presence = new HookedPresence();
        Connection phone = connection("1");
        LiveRooms live = annSignedInOn(presence, phone);
        presence.onArrived = () -> live.close(phone);

        live.subscribe(phone, List.of("lobby"));

        assertEquals(List.of(), live.online("lobby"));
        assertEquals(0, live.onlineCount("lobby"));
    }

    /** A hello admitted after the sweep picked its connection as too late: the close takes back what it added. */
    @Test
    void aLateHelloAdmittedWhileTheSweepClosesItKeepsNothing() {
        HookedPresence presence = new HookedPresence();
        LiveRooms live = new LiveRooms(bus, presence, CLOCKS);
        Connection late = connection("1");
        Connection expiring = connection("2");
        live.open(late);
        live.open(expiring);
        live.authenticate(expiring, "bob", 1, 0, 10); // its token expires: the sweep closes it before the late ones
        presence.onDisconnected = () -> {
            presence.onDisconnected = () -> { };
            live.authenticate(late, "ann", Long.MAX_VALUE, 0, 1);
            live.subscribe(late, List.of("lobby"));
        };

        live.sweep(20_000, 10_000, 55_000);
        assertTrue(live.connectionsOf("ann").isEmpty());
        assertEquals(List.of(), live.online("lobby"));
    }

    /** Live rooms of their own on the hooked presence, with ann signed in on the connections. */
    private LiveRooms annSignedInOn(HookedPresence presence, Connection... connections) {
        LiveRooms live = new LiveRooms(bus, presence, CLOCKS);
        for (Connection connection : connections) {
            live.open(connection);
            live.authenticate(connection, "ann", Long.MAX_VALUE, 0, 10);
        }
        return live;
    }

    private static Connection connection(String id) {
        return new Connection(id, "127.0.0.1", new RecordingOutbound(), 0, new TokenBucket(20, 40, 0),
                new TokenBucket(20, 40, 0));
    }

    /**
     * Presence, with another thread's step run at its first {@code arrived}, its first {@code departed} and at
     * {@code disconnected}: after the node's own change, before the report of it.
     */
    private static final class HookedPresence implements Presence {
        private final LocalPresence presence = new LocalPresence();
        Runnable onArrived = () -> { };
        Runnable onDeparted = () -> { };
        Runnable onDisconnected = () -> { };

        @Override
        public boolean arrived(String room, String user, BooleanSupplier here) {
            Runnable hook = onArrived;
            onArrived = () -> { };
            hook.run();
            return presence.arrived(room, user, here);
        }

        @Override
        public boolean departed(String room, String user, BooleanSupplier here) {
            Runnable hook = onDeparted;
            onDeparted = () -> { };
            hook.run();
            return presence.departed(room, user, here);
        }

        @Override
        public List<String> online(String room) {
            return presence.online(room);
        }

        @Override
        public int count(String room) {
            return presence.count(room);
        }

        @Override
        public void disconnected(String id) {
            onDisconnected.run();
        }
    }

    @Test
    void postedMessagesGoToEveryConnectionOfTheRoomWithTheSendersCopyToTheSender() {
        Client ann = online("1", "ann", List.of("lobby"));
        Client bob = online("2", "bob", List.of("lobby"));
        Client carol = online("3", "carol", List.of("elsewhere"));
        bus.publish(new RoomEvent.Posted("lobby", 1, "ann", "{\"type\":\"message\"}",
                "{\"type\":\"message\",\"clientMsgId\":\"c1\"}"));
        assertEquals("c1", ann.out().last().getString("clientMsgId"));
        assertFalse(bob.out().last().containsKey("clientMsgId"));
        assertTrue(carol.out().ofType("message").isEmpty());
    }

    @Test
    void aMessageThatOvertakesItsPredecessorIsHeldUntilThePredecessorArrives() {
        Client bob = online("2", "bob", List.of("lobby"));
        bus.publish(new RoomEvent.Posted("lobby", 2, "ann", message(2), message(2)));
        assertTrue(bob.out().ofType("message").isEmpty(), "2 waits for 1");
        bus.publish(new RoomEvent.Posted("lobby", 1, "ann", message(1), message(1)));
        bus.publish(new RoomEvent.Posted("lobby", 2, "ann", message(2), message(2)));
        assertEquals(List.of(1, 2), bob.out().ofType("message").stream().map(m -> m.getInt("seq")).toList(),
                "in order, once");
        bus.publish(new RoomEvent.Posted("lobby", 1, "ann", message(1), message(1)));
        assertEquals(2, live.stats().deliveredCount(), "a message published again (a repeated send) is not counted");
    }

    private static String message(int seq) {
        return "{\"type\":\"message\",\"seq\":" + seq + "}";
    }

    @Test
    void membershipEventsReachAllTheUsersConnections() {
        Client phone = online("1", "ann", List.of());
        Client laptop = online("2", "ann", List.of());
        bus.publish(new RoomEvent.Membership("dev", "ann", true, 0, null));
        assertTrue(phone.connection().receives("dev"));
        assertTrue(laptop.connection().receives("dev"));
        bus.publish(new RoomEvent.Membership("dev", "ann", false, 0, null));
        assertFalse(phone.connection().receives("dev"));
        assertEquals(0, live.onlineCount("dev"));
    }

    /**
     * The bus hands every room's events over on one thread, and a report to presence is a call across the
     * cluster that may wait: for a member joining or leaving on another node, and for a kick, that thread changes
     * this node and goes on to the next event, and another reports the change to presence.
     */
    @Test
    void theBusThreadGoesOnWhileAnotherReportsItsMembershipChangesToPresence() {
        List<Runnable> presenceWork = new ArrayList<>();
        InMemoryClusterBus bus = new InMemoryClusterBus();
        LiveRooms live = new LiveRooms(bus, new LocalPresence(), CLOCKS, presenceWork::add);
        bus.subscribe(live::deliver);
        RecordingOutbound phone = new RecordingOutbound();
        Connection connection = new Connection("1", "127.0.0.1", phone, 0, new TokenBucket(20, 40, 0),
                new TokenBucket(20, 40, 0));
        live.open(connection);
        live.authenticate(connection, "ann", Long.MAX_VALUE, 0, 10);
        connection.welcomed();

        bus.publish(new RoomEvent.Membership("dev", "ann", true, 0, null));
        bus.publish(new RoomEvent.Posted("dev", 1, "bob", message(1), message(1)));
        assertEquals(List.of(1), phone.ofType("message").stream().map(m -> m.getInt("seq")).toList(),
                "the room reaches ann's phone before presence hears of it");
        assertEquals(List.of(), live.online("dev"));
        runAndClear(presenceWork);
        assertEquals(List.of("ann"), live.online("dev"));

        bus.publish(new RoomEvent.Membership("dev", "ann", false, 0, null));
        bus.publish(new RoomEvent.Posted("dev", 2, "bob", message(2), message(2)));
        assertEquals(List.of(1), phone.ofType("message").stream().map(m -> m.getInt("seq")).toList());
        assertEquals(List.of("ann"), live.online("dev"));
        runAndClear(presenceWork);
        assertEquals(List.of(), live.online("dev"));

        bus.publish(new RoomEvent.Membership("lobby", "ann", true, 0, null));
        runAndClear(presenceWork);
        live.obey(new NodeEvent.Kick("ann"));
        assertEquals(CloseCodes.KICKED, phone.closeCode, "closed at once");
        assertEquals(List.of("ann"), live.online("lobby"));
        runAndClear(presenceWork);
        assertEquals(List.of(), live.online("lobby"));
    }

    /** A new password ends the tokens of before: the connections that said hello with one, on every node. */
    @Test
    void aNewPasswordClosesTheConnectionsOfItsUsersOlderTokensOnly() {
        Client before = open("1", 0);
        live.authenticate(before.connection(), "ann", Long.MAX_VALUE, 0, 10);
        Client after = open("2", 0);
        live.authenticate(after.connection(), "ann", Long.MAX_VALUE, 1, 10);
        Client bob = open("3", 0);
        live.authenticate(bob.connection(), "bob", Long.MAX_VALUE, 0, 10);

        live.obey(new NodeEvent.SignedOut("ann", 1, false));
        assertEquals(CloseCodes.BAD_TOKEN, before.out().closeCode);
        assertNull(after.out().closeCode, "signed in with the new password's token");
        assertNull(bob.out().closeCode);
        assertEquals(List.of(after.connection()), List.copyOf(live.connectionsOf("ann")));

        // A hello whose token was checked before the word came, signing in after it: turned away all the same.
        assertEquals(LiveRooms.SignIn.SIGNED_OUT,
                live.authenticate(open("4", 0).connection(), "ann", Long.MAX_VALUE, 0, 10));
        assertEquals(LiveRooms.SignIn.ADMITTED,
                live.authenticate(open("5", 0).connection(), "ann", Long.MAX_VALUE, 1, 10));
        assertEquals(LiveRooms.SignIn.ADMITTED,
                live.authenticate(open("6", 0).connection(), "bob", Long.MAX_VALUE, 0, 10), "only ann's");
    }

    /** A token expires at its time of day on the wall clock, whatever time the steady clock tells. */
    @Test
    void aTokenExpiresByTheWallClock() {
        Client lasting = open("1", 0);
        Client ending = open("2", 0);
        live.authenticate(lasting.connection(), "ann", 60_001, 0, 10);
        live.authenticate(ending.connection(), "bob", 60_000, 0, 10);
        live.sweep(0, Long.MAX_VALUE, Long.MAX_VALUE);
        assertNull(lasting.out().closeCode, "a millisecond left");
        assertEquals(CloseCodes.BAD_TOKEN, ending.out().closeCode, "expired at the wall clock's 60,000");
    }

    /**
     * A report to presence is a call across the cluster that may wait (a node paused): the sweep closes what it
     * must at once and leaves the reports to the presence thread, so that one close does not hold up the next.
     */
    @Test
    void theSweepClosesAtOnceAndLeavesItsReportsToThePresenceThread() {
        List<Runnable> presenceWork = new ArrayList<>();
        LiveRooms live = new LiveRooms(bus, new LocalPresence(), CLOCKS, presenceWork::add);
        RecordingOutbound silent = new RecordingOutbound();
        RecordingOutbound expired = new RecordingOutbound();
        for (Connection connection : List.of(
                new Connection("1", "127.0.0.1", silent, 0, new TokenBucket(20, 40, 0), new TokenBucket(20, 40, 0)),
                new Connection("2", "127.0.0.1", expired, 0, new TokenBucket(20, 40, 0), new TokenBucket(20, 40, 0)))) {
            live.open(connection);
            boolean ann = connection.id().equals("1");
            live.authenticate(connection, ann ? "ann" : "bob", ann ? Long.MAX_VALUE : 30_000, 0, 10);
            connection.welcomed();
            live.subscribe(connection, List.of("lobby"));
            connection.heard(ann ? 0 : 50_000);
        }
        runAndClear(presenceWork);
        assertEquals(List.of("ann", "bob"), live.online("lobby"));

        live.sweep(60_000, 10_000, 55_000);
        assertEquals(CloseCodes.HEARTBEAT_TIMEOUT, silent.closeCode);
        assertEquals(CloseCodes.BAD_TOKEN, expired.closeCode);
        assertEquals(List.of("ann", "bob"), live.online("lobby"), "reported on the presence thread, not the sweep's");
        runAndClear(presenceWork);
        assertEquals(List.of(), live.online("lobby"));
    }

    private static void runAndClear(List<Runnable> work) {
        work.forEach(Runnable::run);
        work.clear();
    }

    @Test
    void aConnectionTakenOutBehindASendThatNeverCompletesIsClosedWhenTheSendTimesOut() {
        Client ann = online("1", "ann", List.of("lobby"));
        online("2", "bob", List.of("lobby"));
        ann.out().capacity = ann.out().frames.size(); // ann stopped reading: her queue is full,
        ann.out().sending = true;                     // and her last write is stuck in flight
        bus.publish(new RoomEvent.Posted("lobby", 1, "bob", message(1), message(1)));
        live.sweep(1, Long.MAX_VALUE, Long.MAX_VALUE);
        assertEquals(List.of("bob"), live.online("lobby"), "offline at once");
        assertFalse(ann.out().closedStalled, "the send may still complete");

        ann.out().stalled = true; // in flight past the send timeout
        live.sweep(2, Long.MAX_VALUE, Long.MAX_VALUE);
        assertTrue(ann.out().closedStalled, "closed although no longer among the live connections");
    }

    @Test
    void aConnectionWhoseQueueOverflowsIsClosedWith4008AndGoesOfflineAtTheNextSweep() {
        Client ann = online("1", "ann", List.of("lobby"));
        Client bob = online("2", "bob", List.of("lobby"));
        ann.out().capacity = ann.out().frames.size(); // ann stopped reading: her queue is full
        bus.publish(new RoomEvent.Posted("lobby", 1, "bob", message(1), message(1)));
        assertEquals(CloseCodes.TOO_SLOW, ann.out().closeCode);
        assertEquals(List.of("ann", "bob"), live.online("lobby"), "until the sweep");

        live.sweep(1, Long.MAX_VALUE, Long.MAX_VALUE);
        assertEquals(List.of("bob"), live.online("lobby"));
        JsonObject offline = bob.out().last();
        assertEquals("ann", offline.getString("user"));
        assertFalse(offline.getBoolean("online"));
    }

    @Test
    void theSweepClosesLateHellosWith4401AndSilentConnectionsWith4001() {
        long hello = 10_000;
        long silence = 55_000;
        Client early = open("1", 0);
        Client ann = online("2", "ann", List.of("lobby"));
        Client bob = online("3", "bob", List.of("lobby"));
        ann.connection().heard(0);
        bob.connection().heard(50_000);

        live.sweep(hello, hello, silence);
        assertNull(early.out().closeCode, "exactly at the hello deadline is still in time");
        live.sweep(hello + 1, hello, silence);
        assertEquals(CloseCodes.NO_HELLO, early.out().closeCode);

        live.sweep(silence, hello, silence);
        assertNull(ann.out().closeCode, "exactly at the silence limit is still alive");
        live.sweep(silence + 1, hello, silence);
        assertEquals(CloseCodes.HEARTBEAT_TIMEOUT, ann.out().closeCode);
        assertNull(bob.out().closeCode);
        JsonObject offline = bob.out().last();
        assertEquals("ann", offline.getString("user"));
        assertFalse(offline.getBoolean("online"));
        assertEquals(List.of("bob"), live.online("lobby"));
    }
}
