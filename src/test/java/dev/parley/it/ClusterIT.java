package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two Payara Micro nodes on one PostgreSQL (the PostgreSQL run's), clustered by Payara's own data grid on
 * loopback (TCP/IP discovery, never multicast): one chat across them, and a node killed with SIGKILL in the
 * middle of it. Latency and fail-over times are printed, not asserted: they are measurements.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration FORMING = Duration.ofSeconds(60);
    private static PayaraNode a;
    private static PayaraNode b;

    @BeforeAll
    static void startCluster() throws Exception {
        assertTrue(TestEnvironment.hasPostgres(), "runs in the PostgreSQL run only (tag cluster)");
        int gridA = PayaraNode.freePort();
        int gridB = PayaraNode.freePort();
        String members = "tcpip:127.0.0.1:" + gridA + ",127.0.0.1:" + gridB;
        String name = "parley-it-" + UUID.randomUUID().toString().substring(0, 8);
        Path data = Path.of(System.getProperty("it.cluster.dir"));
        TestEnvironment.deleteTree(data);
        CompletableFuture<PayaraNode> first = CompletableFuture.supplyAsync(() -> start(data.resolve("a"), gridA,
                members, name));
        CompletableFuture<PayaraNode> second = CompletableFuture.supplyAsync(() -> start(data.resolve("b"), gridB,
                members, name));
        a = first.get(5, TimeUnit.MINUTES);
        b = second.get(5, TimeUnit.MINUTES);
        awaitCluster(a, 2);
        awaitCluster(b, 2);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (PayaraNode node : new PayaraNode[] {a, b}) {
            if (node != null) {
                node.stop();
            }
        }
    }

    @Test
    @Order(1)
    void aRoomSpansTheNodesWithOnePresenceAndOneOrder() throws Exception {
        String room = Server.unique("spanning");
        try (WsClient ann = joined(a, "ann", room);
             WsClient bob = joined(b, "bob", room)) {
            String annName = ann.user();
            String bobName = bob.user();
            assertEquals(List.of(annName, bobName).stream().sorted().toList(),
                    bob.seen().stream().filter(f -> f.getString("type").equals("joined")).findFirst().orElseThrow()
                            .getJsonArray("online").getValuesAs(jakarta.json.JsonString.class).stream()
                            .map(jakarta.json.JsonString::getString).toList(),
                    "bob, on node B, sees ann of node A online");
            JsonObject arrived = ann.await("presence", p -> p.getString("user").equals(bobName));
            assertTrue(arrived.getBoolean("online"));
            assertEquals(2, arrived.getInt("count"), "the count is the cluster's");

            ann.send(WsClient.send("a1", room, "hello from A", "span-1"));
            long seq = ann.reply("a1", "receipt").getJsonNumber("seq").longValue();
            assertEquals(seq, bob.await("message").getJsonNumber("seq").longValue());
            bob.send(WsClient.frame("typing").add("room", room));
            assertEquals(bobName, ann.await("typing").getString("user"));

            // A direct message from node A reaches bob's connection on node B at once.
            ann.send(WsClient.frame("dm").add("ref", "dm").add("user", bobName));
            String direct = ann.reply("dm", "joined").getString("room");
            JsonObject told = bob.await("joined", j -> j.getString("room").equals(direct));
            assertEquals(annName, told.getString("with"));
            ann.send(WsClient.send("d1", direct, "just for you", "span-dm"));
            ann.reply("d1", "receipt");
            assertEquals("just for you", bob.await("message", m -> m.getString("room").equals(direct))
                    .getString("text"));

            // Concurrent senders on both nodes: every reader sees one order, without gaps.
            int each = 25;
            List<CompletableFuture<Void>> sending = new ArrayList<>();
            for (PayaraNode node : List.of(a, b, a, b)) {
                sending.add(CompletableFuture.runAsync(() -> chat(node, room, each)));
            }
            CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
            long last = seq + 4L * each;
            Map<Long, String> atA = messages(ann, room, last);
            Map<Long, String> atB = messages(bob, room, last);
            ack(ann, room, last);
            ack(bob, room, last);
            assertEquals(LongStream.rangeClosed(seq, last).boxed().toList(), List.copyOf(atA.keySet()));
            assertEquals(atA, atB, "both nodes delivered the same messages under the same seqs");
            assertTrue(inOrder(ann, room) && inOrder(bob, room), "live messages arrived in seq order on both nodes");

            List<Long> latencies = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String text = "latency " + i;
                long sent = System.nanoTime();
                ann.send(WsClient.send("l" + i, room, text, "latency-" + i + "-" + room));
                JsonObject received = bob.await("message", m -> m.getString("text").equals(text));
                latencies.add(System.nanoTime() - sent);
                ann.reply("l" + i, "receipt");
                // Acked as a real client does, or the server resends and finally closes the connection.
                ack(ann, room, received.getJsonNumber("seq").longValue());
                ack(bob, room, received.getJsonNumber("seq").longValue());
                Server.pause(60); // under the frame rate
            }
            latencies.sort(null);
            System.out.printf("ClusterIT: node A to node B, send to delivery over 100 messages: p50 %.1f ms,"
                    + " p99 %.1f ms%n", latencies.get(49) / 1e6, latencies.get(98) / 1e6);
        }
    }

    @Test
    @Order(2)
    void moderationAndTheAdminReachTheOtherNode() throws Exception {
        String room = Server.unique("moderated");
        String admin = adminToken(a);
        try (WsClient ann = joined(a, "ann", room);
             WsClient bob = joined(b, "bob", room);
             WsClient carol = joined(b, "carol", room)) {
            String bobName = bob.user();
            String carolName = carol.user();

            // Node A's admin lists the connections of node B too, each under its node.
            HttpResponse<String> listed = admin(a, "GET", "api/admin/connections", admin, null);
            assertEquals(200, listed.statusCode(), listed.body());
            Map<String, String> nodeOf = new TreeMap<>();
            Json.createReader(new StringReader(listed.body())).readArray().getValuesAs(JsonObject.class)
                    .forEach(c -> nodeOf.put(c.getString("user"), c.getString("node")));
            assertTrue(nodeOf.containsKey(bobName) && nodeOf.containsKey(ann.user()), listed.body());
            assertNotEquals(nodeOf.get(ann.user()), nodeOf.get(bobName), "ann and bob are listed under their nodes");

            // The topic ann sets on node A reaches bob on node B, and comes with a join there.
            ann.send(WsClient.frame("topic").add("ref", "t").add("room", room).add("text", "Across the nodes"));
            ann.reply("t", "ok");
            assertEquals("Across the nodes", bob.await("message", m -> m.getString("kind").equals("topic"))
                    .getString("text"));
            try (WsClient dan = joined(b, "dan", room)) {
                assertEquals("Across the nodes", dan.seen().stream().filter(f -> f.getString("type").equals("joined"))
                        .findFirst().orElseThrow().getString("topic"));
            }
            // So does carol's new role: her page offers her a moderator's tools without opening the room again.
            ann.send(WsClient.frame("role").add("ref", "r").add("room", room).add("user", carolName)
                    .add("role", "moderator"));
            ann.reply("r", "ok");
            assertEquals("moderator", carol.await("role", f -> f.getString("user").equals(carolName))
                    .getString("role"));
            // A reaction on node A to bob's message reaches bob on node B; a link made on node A lets erin in there.
            bob.send(WsClient.send("s", room, "hello from B", "cluster-react-1"));
            long hello = bob.reply("s", "receipt").getJsonNumber("seq").longValue();
            ann.send(WsClient.frame("react").add("ref", "e").add("room", room).add("seq", hello).add("emoji", "+1"));
            ann.reply("e", "ok");
            JsonObject reaction = bob.await("message", m -> m.getString("kind").equals("reacted"));
            assertEquals(List.of(ann.user(), "+1", hello), List.of(reaction.getString("from"),
                    reaction.getString("text"), reaction.getJsonNumber("target").longValue()));
            ann.send(WsClient.frame("access").add("ref", "a").add("room", room).add("access", "invite"));
            ann.reply("a", "ok");
            ann.send(WsClient.frame("link").add("ref", "l").add("room", room));
            String code = ann.reply("l", "link").getString("code");
            try (WsClient erin = WsClient.hello(b.ws(), guest(b, "erin"))) {
                erin.send(WsClient.frame("join").add("ref", "j").add("room", room).add("code", code));
                erin.reply("j", "joined");
            }

            // A room mute made on node A holds on node B at once, not at B's next re-read (10 minutes here).
            ann.send(WsClient.frame("mute").add("ref", "m").add("room", room).add("user", bobName).add("minutes", 5));
            ann.reply("m", "ok");
            assertEquals("muted", firstRefusal(bob, room, "still here", Duration.ofSeconds(5)));

            // Limits the admin changes on node A hold on node B too, and a reset on node B puts back the
            // configured ones on node A. (Stored in the PostgreSQL that the run's other classes use: put back
            // whatever happens.)
            try (AutoCloseable restoring = () -> admin(b, "DELETE", "api/admin/limits", admin, null)) {
                HttpResponse<String> limited = admin(a, "PUT", "api/admin/limits", admin, "{\"maxTextChars\":100}");
                assertEquals(200, limited.statusCode(), limited.body());
                assertEquals("too_large", firstRefusal(carol, room, "x".repeat(101), Duration.ofSeconds(5)));
                assertEquals(200, admin(b, "DELETE", "api/admin/limits", admin, null).statusCode());
                assertTrue(firstAnswer(ann, room, "x".repeat(101), Duration.ofSeconds(5), "receipt") != null,
                        "a long text taken on node A");
            }

            // The admin's kick on node A closes carol's connection on node B.
            HttpResponse<String> kicked = admin(a, "POST", "api/admin/users/" + carolName + "/kick", admin, "{}");
            assertEquals(200, kicked.statusCode(), kicked.body());
            assertEquals(1, Json.createReader(new StringReader(kicked.body())).readObject().getInt("connections"),
                    "counted where it is");
            assertEquals(4503, carol.awaitClose(WsClient.WAIT));

            // A server-wide ban on node A closes bob's connection on node B at once too.
            HttpResponse<String> banned = admin(a, "PUT", "api/admin/users/" + bobName + "/ban", admin, "{}");
            assertEquals(200, banned.statusCode(), banned.body());
            assertEquals(4504, bob.awaitClose(Duration.ofSeconds(5)));
            JsonObject audited = Json.createReader(new StringReader(admin(a, "GET", "api/admin/audit?limit=1", admin,
                    null).body())).readArray().getJsonObject(0);
            assertEquals(List.of("ban", bobName, "1 connections closed"), List.of(audited.getString("action"),
                    audited.getString("target"), audited.getString("detail")), "counted where it was, as a kick");
            assertEquals(204, admin(a, "DELETE", "api/admin/users/" + bobName + "/ban", admin, null).statusCode());
        }

        // What gina reads on node A, her connection on node B is told (a room she reads on her laptop is read on
        // her phone too).
        String ginasToken = guest(a, "gina");
        String read = Server.unique("read");
        try (WsClient laptop = WsClient.hello(a.ws(), ginasToken);
             WsClient phone = WsClient.hello(b.ws(), ginasToken)) {
            laptop.send(WsClient.frame("join").add("ref", "j").add("room", read));
            laptop.reply("j", "joined");
            phone.await("joined", j -> j.getString("room").equals(read));
            laptop.send(WsClient.send("s", read, "a note", "cluster-read-1"));
            long seq = laptop.reply("s", "receipt").getJsonNumber("seq").longValue();
            laptop.send(WsClient.frame("ack").add("room", read).add("seq", seq));
            JsonObject told = phone.await("read");
            assertEquals(List.of(read, seq), List.of(told.getString("room"), told.getJsonNumber("seq").longValue()));
        }

        // A new password set on node A ends dave's token on node B: his connection there, and his hello again.
        String dave = Server.unique("dave");
        assertEquals(201, auth(a, "register", dave, "forgotten one").statusCode());
        String token = Json.createReader(new StringReader(auth(a, "login", dave, "forgotten one").body()))
                .readObject().getString("token");
        try (WsClient onB = WsClient.hello(b.ws(), token)) {
            assertEquals(204, admin(a, "PUT", "api/admin/users/" + dave + "/password", admin,
                    "{\"password\":\"a new password\"}").statusCode());
            assertEquals(4501, onB.awaitClose(Duration.ofSeconds(5)));
        }
        try (WsClient again = WsClient.connect(b.ws())) {
            again.send(WsClient.frame("hello").add("ref", "h").add("token", token));
            assertEquals(4501, again.awaitClose(WsClient.WAIT), "the old token, on the other node too");
        }

        // dave deletes his account on node A: his connection on node B closes saying why, and the room he was in
        // no longer lists him there.
        String gone = Server.unique("gone");
        String renewed = Json.createReader(new StringReader(auth(a, "login", dave, "a new password").body()))
                .readObject().getString("token");
        try (WsClient frank = joined(b, "frank", gone);
             WsClient onB = WsClient.hello(b.ws(), renewed)) {
            onB.send(WsClient.frame("join").add("ref", "j").add("room", gone));
            onB.reply("j", "joined");
            assertEquals(204, auth(a, "delete", dave, "a new password").statusCode());
            assertEquals(4501, onB.awaitClose(Duration.ofSeconds(5)));
            assertEquals("signed out: the account was deleted", onB.closeReason());
            frank.send(WsClient.frame("members").add("ref", "m").add("room", gone));
            assertEquals(List.of(frank.user()), frank.reply("m", "members").getJsonArray("items")
                    .getValuesAs(JsonObject.class).stream().map(member -> member.getString("user")).toList());
        }

        // An owner's archive on node A tells the room's connections on node B at once: their pages turn read-only.
        String ended = Server.unique("ended");
        try (WsClient hana = joined(a, "hana", ended);
             WsClient ivan = joined(b, "ivan", ended)) {
            hana.send(WsClient.frame("archive").add("ref", "x").add("room", ended));
            hana.reply("x", "ok");
            JsonObject told = ivan.await("archived");
            assertEquals(List.of(ended, true), List.of(told.getString("room"), told.getBoolean("archived")));
        }
    }

    @Test
    @Order(3)
    void killingANodeLosesNothingAndItsUsersGoOffline() throws Exception {
        List<String> rooms = List.of(Server.unique("failover-a"), Server.unique("failover-b"));
        int clients = 4;
        int each = 40;
        AtomicInteger receipts = new AtomicInteger();
        List<ResilientClient> chatters = new ArrayList<>();
        // Two listeners that send nothing else: they ping as the contract asks, so that only the kill takes
        // carol offline, not a heartbeat timeout.
        try (CuttableProxy balancer = new CuttableProxy(a.port(), b.port());
             WsClient watcher = joined(a, "watcher", rooms.get(0));
             WsClient carol = joined(b, "carol", rooms.get(0));
             WsClient.Pinging watcherPings = watcher.pingEverySecond();
             WsClient.Pinging carolPings = carol.pingEverySecond()) {
            String carolName = carol.user();
            watcher.await("presence", p -> p.getString("user").equals(carolName) && p.getBoolean("online"));
            URI ws = URI.create("ws://127.0.0.1:" + balancer.port() + "/parley/ws");
            for (int i = 0; i < clients; i++) {
                ResilientClient chatter = new ResilientClient(ws, guest(a, "failover" + i), receipts, rooms);
                chatter.connected(); // the balancer puts them on A and B in turn
                chatters.add(chatter);
            }
            List<CompletableFuture<Void>> sending = chatters.stream()
                    .map(c -> CompletableFuture.runAsync(() -> c.chat(each))).toList();
            ResilientClient.awaitReceipts(receipts, clients * each / 3, sending);

            long killed = System.nanoTime();
            b.kill();
            watcher.await("presence", p -> p.getString("user").equals(carolName) && !p.getBoolean("online"));
            long offline = System.nanoTime();

            CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            long resumed = chatters.stream().mapToLong(ResilientClient::connectedAt).max().orElseThrow();
            for (ResilientClient chatter : chatters) {
                chatter.catchUp();
            }
            System.out.printf("ClusterIT: SIGKILL of node B: its users offline for the others after %d ms; every"
                    + " client connected again within %d ms%n", (offline - killed) / 1_000_000,
                    Math.max(0, resumed - killed) / 1_000_000);
        } finally {
            chatters.forEach(ResilientClient::close);
        }

        assertEquals(clients * each, receipts.get(), "every message got its receipt in the end");
        ResilientClient.assertEverybodyHoldsEverythingOnce(chatters, rooms);
    }

    private static PayaraNode start(Path data, int gridPort, String members, String clusterName) {
        try {
            // Moderation re-read every 10 minutes, not 10 s: what reaches the other node in seconds came by the bus.
            return PayaraNode.start(data, PayaraNode.freePort(), List.of("-Dhazelcast.socket.bind.any=false",
                            "-Dparley.moderation.reread.seconds=600"),
                    List.of("--clustermode", members, "--startport", String.valueOf(gridPort), "--interfaces",
                            "127.0.0.1", "--clustername", clusterName, "--nohostaware"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the node's readiness says it sees the whole cluster. */
    private static void awaitCluster(PayaraNode node, int size) throws Exception {
        long deadline = System.nanoTime() + FORMING.toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(node.root("health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            seen = ready.body();
            if (ready.statusCode() == 200 && seen.contains("\"cluster\":\"" + size + " nodes\"")) {
                return;
            }
            Server.pause(250);
        }
        throw new AssertionError("no cluster of " + size + " within " + FORMING + ": " + seen);
    }

    private static void chat(PayaraNode node, String room, int count) {
        try (WsClient sender = joined(node, "sender", room)) {
            for (int i = 0; i < count; i++) {
                String id = UUID.randomUUID().toString();
                sender.send(WsClient.send(id, room, id, id));
                sender.reply(id, "receipt");
                Server.pause(60);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The room's messages the client got, by seq, up to {@code last}. */
    private static Map<Long, String> messages(WsClient client, String room, long last) {
        Map<Long, String> bySeq = new TreeMap<>();
        client.seen().stream().filter(f -> f.getString("type").equals("message") && f.getString("room").equals(room))
                .forEach(m -> bySeq.put(m.getJsonNumber("seq").longValue(), m.getString("text")));
        while (!bySeq.containsKey(last)) {
            JsonObject m = client.await("message", f -> f.getString("room").equals(room));
            bySeq.put(m.getJsonNumber("seq").longValue(), m.getString("text"));
        }
        return bySeq;
    }

    private static void ack(WsClient client, String room, long seq) {
        client.send(WsClient.frame("ack").add("room", room).add("seq", seq));
    }

    /** Sends the text until the server refuses, for at most {@code within}: the refusal's error code, or null. */
    private static String firstRefusal(WsClient client, String room, String text, Duration within) {
        JsonObject refusal = firstAnswer(client, room, text, within, "error");
        return refusal == null ? null : refusal.getString("code");
    }

    /** Sends the text until the server answers with {@code type}, for at most {@code within}: that answer, or null. */
    private static JsonObject firstAnswer(WsClient client, String room, String text, Duration within, String type) {
        long deadline = System.nanoTime() + within.toNanos();
        for (int i = 0; System.nanoTime() < deadline; i++) {
            client.send(WsClient.send("try" + i, room, text, "try-" + i + "-" + client.user()));
            JsonObject reply = client.replyWithin("try" + i, WsClient.WAIT);
            assertTrue(reply != null, "no answer to a send");
            if (reply.getString("type").equals(type)) {
                return reply;
            }
            Server.pause(100); // under the frame rate
        }
        return null;
    }

    private static String adminToken(PayaraNode node) throws Exception {
        HttpResponse<String> login = auth(node, "login", "admin", System.getProperty("it.admin.password"));
        assertEquals(200, login.statusCode(), login.body());
        return Json.createReader(new StringReader(login.body())).readObject().getString("token");
    }

    /** {@code POST /api/auth/<what>} on the node with a name and password: a registration or a login. */
    private static HttpResponse<String> auth(PayaraNode node, String what, String user, String password)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(node.http("api/auth/" + what))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Server.credentials(user, password))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> admin(PayaraNode node, String method, String path, String token,
                                              String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(node.http(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean inOrder(WsClient client, String room) {
        List<Long> seqs = client.seen().stream()
                .filter(f -> f.getString("type").equals("message") && f.getString("room").equals(room))
                .map(m -> m.getJsonNumber("seq").longValue()).distinct().toList();
        return seqs.equals(seqs.stream().sorted().toList());
    }

    private static WsClient joined(PayaraNode node, String nickname, String room) throws Exception {
        WsClient client = WsClient.hello(node.ws(), guest(node, nickname));
        client.send(WsClient.frame("join").add("ref", "join").add("room", room));
        client.reply("join", "joined");
        return client;
    }

    private static String guest(PayaraNode node, String nickname) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(node.http("api/auth/guest"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"nickname\":\"" + Server.unique(nickname)
                                + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Json.createReader(new StringReader(response.body())).readObject().getString("token");
    }
}
