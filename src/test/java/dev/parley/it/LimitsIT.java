package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.security.TokenService;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The limits a hostile or broken client meets, on the deployed WAR, each at and past its edge. The per-address caps
 * count everything from 127.0.0.1, so this class has a server of its own (the it-caps run in pom.xml).
 */
@ExtendWith({FreshServer.class, ArquillianExtension.class})
@RunAsClient
@Tag("limits")
@Tag("address-caps")
class LimitsIT {

    /** The key the test server signs with (pom.xml), so that tests can make tokens it did not issue. */
    private static final byte[] SERVER_KEY = Base64.getDecoder().decode(System.getProperty("it.token.key"));

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Server.war();
    }

    @Test
    void aUserMayHaveTenConnectionsAndNoMore() throws Exception {
        String token = Server.guest(Server.unique("many")).getString("token");
        List<WsClient> tabs = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                tabs.add(WsClient.hello(Server.ws(), token));
            }
            try (WsClient eleventh = WsClient.connect(Server.ws())) {
                eleventh.send(WsClient.frame("hello").add("ref", "h").add("token", token));
                assertEquals("rate_limited", eleventh.reply("h", "error").getString("code"));
                assertEquals(4029, eleventh.awaitClose(WsClient.WAIT));
            }
            tabs.get(9).send(Json.createObjectBuilder().add("type", "ping").add("ref", "p").build());
            tabs.get(9).reply("p", "pong");

            tabs.remove(0).close();
            // The server learns of the close asynchronously: wait until a new tab is let in.
            JsonObject answer = null;
            long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                WsClient next = WsClient.connect(Server.ws());
                next.send(Json.createObjectBuilder().add("type", "hello").add("ref", "h").add("token", token).build());
                answer = next.await(null, f -> "h".equals(f.getString("ref", null)));
                if (answer.getString("type").equals("welcome")) {
                    tabs.add(next);
                    break;
                }
                next.close();
            }
            assertEquals("welcome", answer.getString("type"), "a closed tab frees its place");
        } finally {
            tabs.forEach(WsClient::close);
        }
    }

    @Test
    void aFloodIsRefusedThenClosedWhileOthersKeepChatting() throws Exception {
        String room = Server.unique("flooded");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room);
             WsClient eve = WsClient.joined(Server.unique("eve"), room)) {
            // eve has used 2 of her 40 frames (hello, join): 38 pings pass at once, then refusals, then the
            // close. She waits for each answer so that no frame of hers is in flight when the server closes
            // (the kernel would answer those with a reset, and she would never read the close code);
            // that still is about fifty times the rate.
            CompletableFuture<List<JsonObject>> flood = CompletableFuture.supplyAsync(() -> {
                List<JsonObject> answers = new ArrayList<>();
                for (int i = 0; i < 2_000; i++) {
                    eve.send(Json.createObjectBuilder().add("type", "ping").add("ref", "f" + i).build());
                    JsonObject answer = eve.replyOrClose("f" + i);
                    if (answer == null) {
                        break;
                    }
                    answers.add(answer);
                }
                return answers;
            });
            long start = System.nanoTime();
            bob.send(Json.createObjectBuilder().add("type", "send").add("ref", "s").add("room", room)
                    .add("text", "still here").add("clientMsgId", "calm-1").build());
            ann.await("message", m -> m.getString("text").equals("still here"));
            long latencyMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();

            List<JsonObject> answers = flood.get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(4029, eve.awaitClose(WsClient.WAIT));
            for (int i = 0; i < 38; i++) {
                assertEquals("pong", answers.get(i).getString("type"), "the burst is answered: " + answers.get(i));
            }
            assertTrue(answers.stream().anyMatch(f -> "rate_limited".equals(f.getString("code", null))), "refused");
            assertTrue(latencyMillis < 2000, "the room kept its pace during the flood: " + latencyMillis + " ms");
        }
    }

    @Test
    void expiredAndForgedTokensAreClosedWith4501AndATokenThatExpiresClosesItsConnection() throws Exception {
        TokenService server = new TokenService(SERVER_KEY, Duration.ofSeconds(3), Clock.systemUTC());
        TokenService past = new TokenService(SERVER_KEY, Duration.ofHours(1), Clock.offset(Clock.systemUTC(),
                Duration.ofHours(-2)));
        TokenService forger = new TokenService("not the server's key, 32 bytes!!".getBytes(StandardCharsets.US_ASCII),
                Duration.ofHours(1), Clock.systemUTC());

        for (String bad : List.of(past.issue("guest-late", Set.of()).token(),
                forger.issue("admin", Set.of("admin")).token(), "not.a.token")) {
            try (WsClient client = WsClient.connect(Server.ws())) {
                client.send(Json.createObjectBuilder().add("type", "hello").add("token", bad).build());
                assertEquals(4501, client.awaitClose(WsClient.WAIT), bad);
            }
        }

        TokenService.Issued brief = server.issue("guest-brief", Set.of());
        try (WsClient shortLived = WsClient.hello(Server.ws(), brief.token())) {
            assertEquals(4501, shortLived.awaitClose(Duration.ofSeconds(15)));
            // The server runs on this machine's clock; its sweep checks the tokens every second.
            long afterExpiry = Duration.between(brief.identity().expiresAt(), Instant.now()).toMillis();
            assertTrue(afterExpiry >= 0 && afterExpiry <= 2000, "closed " + afterExpiry + " ms after its expiry");
        }
    }

    @Test
    void anAddressMayOpenItsCapOfConnectionsAMinute() throws Exception {
        // This test alone uses 127.0.0.9.
        int cap = cap("it.connections.per.address");
        for (int i = 0; i < cap; i++) {
            assertEquals(101, RawUpgrade.status(handshakeFrom("127.0.0.9")), "connection " + (i + 1));
        }
        try (Socket socket = socketFrom("127.0.0.9")) {
            String refused = RawUpgrade.upgrade(socket);
            assertEquals(429, RawUpgrade.status(refused), "one more within a minute");
            assertTrue(refused.lines().anyMatch(line -> line.equalsIgnoreCase("Retry-After: 60")), refused);
            assertEquals("{\"error\":\"rate_limited\",\"message\":\"more than " + cap + " new connections from"
                    + " your address in a minute: try again later\"}", RawUpgrade.body(socket, refused));
        }
        assertEquals(101, RawUpgrade.status(handshakeFrom("127.0.0.10")), "another address is not affected");
    }

    @Test
    void anAddressMayTryItsCapOfLoginsAndRegistrationsAMinute() throws Exception {
        // This test alone uses 127.0.0.11 and 127.0.0.12.
        int cap = cap("it.logins.per.address");
        String address = "127.0.0.11";
        String name = Server.unique("tries");
        assertEquals(201, RawUpgrade.status(authFrom(address, "register", name, "correct horse")), "attempt 1");
        assertEquals(401, RawUpgrade.status(authFrom(address, "login", name, "wrong horse")), "attempt 2");
        // A login, registration or new password without one of its fields is the client's mistake, not an attempt.
        assertEquals(400, RawUpgrade.status(postFrom(address, "login", "{\"username\":\"" + name + "\"}")),
                "not counted");
        assertEquals(400, RawUpgrade.status(postFrom(address, "register", "{}")), "not counted");
        assertEquals(400, RawUpgrade.status(authFrom(address, "password", name, "correct horse")), "not counted");
        for (int i = 3; i < cap; i++) {
            // Refused for its name, yet counted: it asks for the same answer.
            assertEquals(400, RawUpgrade.status(authFrom(address, "register", "ab", "correct horse")), "attempt " + i);
        }
        assertEquals(200, RawUpgrade.status(authFrom(address, "login", name, "correct horse")), "the last allowed");

        String refused = authFrom(address, "login", name, "correct horse");
        assertEquals(429, RawUpgrade.status(refused), "one more within a minute, though right");
        assertTrue(refused.lines().anyMatch(line -> line.equalsIgnoreCase("Retry-After: 60")), refused);
        assertTrue(refused.contains("{\"error\":\"rate_limited\",\"message\":\"more than " + cap + " logins,"
                + " registrations, new passwords and deletions from your address in a minute: try again later\"}"),
                refused);
        assertEquals(200, RawUpgrade.status(authFrom("127.0.0.12", "login", name, "correct horse")),
                "another address is not affected");
    }

    @Test
    void anAddressMaySignInItsCapOfGuestsAMinute() throws Exception {
        // This test alone uses 127.0.0.250 and 127.0.0.251 (the turns test below takes addresses from 127.0.0.13 up).
        int cap = cap("it.guests.per.address");
        String address = "127.0.0.250";
        assertEquals(400, RawUpgrade.status(postFrom(address, "guest", "{\"nickname\":\"a b\"}")),
                "a refused nickname is not counted");
        for (int i = 1; i <= cap; i++) {
            String signedIn = postFrom(address, "guest", "{\"nickname\":\"" + Server.unique("g") + "\"}");
            assertEquals(200, RawUpgrade.status(signedIn), "guest " + i);
            assertTrue(signedIn.contains("\"token\":\""), signedIn);
        }
        String refused = postFrom(address, "guest", "{\"nickname\":\"" + Server.unique("g") + "\"}");
        assertEquals(429, RawUpgrade.status(refused), "one more within a minute");
        assertTrue(refused.lines().anyMatch(line -> line.equalsIgnoreCase("Retry-After: 60")), refused);
        assertTrue(refused.contains("{\"error\":\"rate_limited\",\"message\":\"more than " + cap + " guest sign-ins"
                + " from your address in a minute: try again later\"}"), refused);
        assertEquals(200, RawUpgrade.status(postFrom("127.0.0.251", "guest", "{\"nickname\":\"ann\"}")),
                "another address is not affected");
    }

    @Test
    void anAddressMayCreateItsCapOfRoomsAMinuteAndJoinRoomsThatExist() throws Exception {
        // This test alone uses 127.0.0.252. Each connection makes 30 rooms (its hello and joins within the frame
        // burst of 40), and each user 90 (under the tests' cap of 100 rooms a user): guests enough for the cap.
        int cap = cap("it.new.rooms.per.address");
        String prefix = Server.unique("made");
        List<Socket> sockets = new ArrayList<>();
        try {
            String token = null;
            for (int made = 0; made < cap; made += 30) {
                if (made % 90 == 0) {
                    token = Server.guest(Server.unique("maker")).getString("token");
                }
                Socket socket = socketFrom("127.0.0.252");
                sockets.add(socket);
                assertEquals(101, RawUpgrade.status(RawUpgrade.upgrade(socket)));
                RawUpgrade.sendText(socket, "{\"type\":\"hello\",\"token\":\"" + token + "\"}");
                next(socket, frame -> frame.getString("type").equals("welcome")); // or a close, an EOFException
                int first = made;
                int last = Math.min(cap, made + 30);
                for (int n = first; n < last; n++) {
                    RawUpgrade.sendText(socket, join("j" + n, prefix + "-" + n));
                }
                for (int n = first; n < last; n++) {
                    assertEquals("joined", reply(socket, "j" + n).getString("type"), "new room " + (n + 1));
                }
            }
            Socket maker = sockets.get(sockets.size() - 1);
            RawUpgrade.sendText(maker, join("past", prefix + "-past"));
            JsonObject refused = reply(maker, "past");
            assertEquals("error", refused.getString("type"), "one more new room within a minute: " + refused);
            assertEquals("rate_limited", refused.getString("code"), refused.toString());
            assertEquals("more than " + cap + " new rooms from your address in a minute: try again later",
                    refused.getString("message"));
            RawUpgrade.sendText(maker, join("existing", prefix + "-0"));
            assertEquals("joined", reply(maker, "existing").getString("type"), "a room that exists, joined");
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        try (WsClient other = WsClient.joined(Server.unique("other"), prefix + "-past")) {
            // Another address made the room the first one was refused: its owner and only member.
            other.send(WsClient.frame("members").add("ref", "m").add("room", prefix + "-past").build());
            JsonObject members = other.reply("m", "members");
            assertEquals(1, members.getJsonArray("items").size(), members.toString());
            assertEquals("owner", members.getJsonArray("items").getJsonObject(0).getString("role"));
        }
    }

    @Test
    void loginsPastTheNodesTurnsAtHashingAreRefusedAtOnceAndTheTurnsComeBack() throws Exception {
        // This test alone uses 127.0.0.13 to 127.0.0.(13 + logins): one address a login, so that no address's cap
        // is what refuses them. The node hashes at most half its cores' passwords at once (HashTurns); the logins
        // are released together, more of them than this machine has cores, and each takes tens of milliseconds.
        int logins = Runtime.getRuntime().availableProcessors() + 8;
        String name = Server.unique("turns");
        assertEquals(201, RawUpgrade.status(authFrom("127.0.0.13", "register", name, "correct horse")));
        byte[] request = post("login", Server.credentials(name, "correct horse"));
        List<Socket> sockets = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(logins);
        try {
            for (int i = 0; i < logins; i++) {
                sockets.add(socketFrom("127.0.0." + (14 + i)));
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (Socket socket : sockets) {
                answers.add(clients.submit(() -> {
                    go.await();
                    socket.getOutputStream().write(request);
                    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                }));
            }
            go.countDown();
            List<String> busy = new ArrayList<>();
            int tokens = 0;
            for (Future<String> answer : answers) {
                String response = answer.get(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                int status = RawUpgrade.status(response);
                if (status == 200) {
                    tokens++;
                } else {
                    assertEquals(429, status, response);
                    busy.add(response);
                }
            }
            assertTrue(tokens >= 1, "a login had a turn");
            assertFalse(busy.isEmpty(), "logins past the turns were refused, not queued: " + tokens + " tokens");
            for (String refused : busy) {
                assertTrue(refused.lines().anyMatch(line -> line.equalsIgnoreCase("Retry-After: 1")), refused);
                assertTrue(refused.contains("{\"error\":\"rate_limited\",\"message\":\"too many passwords are"
                        + " being checked on this server: try again in a moment\"}"), refused);
            }
        } finally {
            clients.shutdownNow();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        assertEquals(200, RawUpgrade.status(authFrom("127.0.0.13", "login", name, "correct horse")),
                "every turn was given back");
    }

    /** A per-address cap of the test server, as pom.xml's H2 run sets it (the only run that has these tests). */
    private static int cap(String property) {
        Integer cap = Integer.getInteger(property);
        assertNotNull(cap, property + " is set by pom.xml's it-h2 run");
        return cap;
    }

    private static String join(String ref, String room) {
        return Json.createObjectBuilder().add("type", "join").add("ref", ref).add("room", room).build().toString();
    }

    /** The answer to the frame sent with the ref on a raw connection. */
    private static JsonObject reply(Socket socket, String ref) throws Exception {
        return next(socket, frame -> ref.equals(frame.getString("ref", null)));
    }

    /** The next frame on a raw connection that is wanted, those before it (presence, say) passed over. */
    private static JsonObject next(Socket socket, Predicate<JsonObject> wanted) throws Exception {
        while (true) {
            JsonObject frame = Json.createReader(new StringReader(RawUpgrade.readText(socket))).readObject();
            if (wanted.test(frame)) {
                return frame;
            }
        }
    }

    private static String authFrom(String address, String what, String user, String password) throws Exception {
        return postFrom(address, what, Server.credentials(user, password));
    }

    /** A request to {@code /api/auth/WHAT} from a chosen loopback address; returns the whole response. */
    private static String postFrom(String address, String what, String json) throws Exception {
        try (Socket socket = socketFrom(address)) {
            socket.getOutputStream().write(post(what, json));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The bytes of a POST of {@code json} to {@code /api/auth/WHAT}, the connection closed after the answer. */
    private static byte[] post(String what, String json) {
        String head = "POST " + Server.http("api/auth/" + what).getPath() + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + System.getProperty("it.http.port") + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + json.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "Connection: close\r\n\r\n";
        return (head + json).getBytes(StandardCharsets.UTF_8); // the head is ASCII, the same in UTF-8
    }

    /** A raw WebSocket upgrade from a chosen loopback address; returns the response's head. */
    private static String handshakeFrom(String address) throws Exception {
        try (Socket socket = socketFrom(address)) {
            return RawUpgrade.upgrade(socket);
        }
    }

    /** A socket connected to the test server from a chosen loopback address. */
    private static Socket socketFrom(String address) throws Exception {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(address, 0));
            RawUpgrade.connect(socket);
            socket.setSoTimeout(10_000);
            return socket;
        } catch (Exception e) {
            socket.close();
            throw e;
        }
    }
}
