package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Chaos on a Payara Micro of the test's own (Arquillian cannot stop its server in the middle of a test):
 * clients send continuously through a network that is cut twice, then the server is stopped (SIGTERM)
 * and started again on the same H2 file. Every client must end with every message, exactly once, in seq
 * order, the same as every other client.
 */
@Tag("restart")
class RestartIT {

    private static final List<String> ROOMS = List.of("chaos-a", "chaos-b");

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final int port = PayaraNode.freePort();
    private PayaraNode payara;

    @AfterEach
    void stop() throws Exception {
        if (payara != null) {
            payara.stop();
        }
    }

    @Test
    void everyReceiptedMessageReachesEveryClientOnceInOrderThroughCutsAndARestart() throws Exception {
        Path data = Path.of(System.getProperty("it.restart.dir"));
        TestEnvironment.deleteTree(data);
        payara = startServer(data);
        int clients = 4;
        int each = 60;
        AtomicInteger receipts = new AtomicInteger();
        List<ResilientClient> chatters = new ArrayList<>();
        try (CuttableProxy network = new CuttableProxy(port)) {
            URI ws = URI.create("ws://127.0.0.1:" + network.port() + "/parley/ws");
            for (int i = 0; i < clients; i++) {
                ResilientClient chatter = new ResilientClient(ws, guestToken("chaos" + i), receipts, ROOMS);
                chatter.connected(); // everybody joins both rooms before anybody sends
                chatters.add(chatter);
            }
            List<CompletableFuture<Void>> sending = chatters.stream()
                    .map(c -> CompletableFuture.runAsync(() -> c.chat(each))).toList();

            ResilientClient.awaitReceipts(receipts, clients * each / 5, sending);
            network.cut();
            network.restore();
            ResilientClient.awaitReceipts(receipts, clients * each * 2 / 5, sending);
            network.cut();
            network.restore();
            ResilientClient.awaitReceipts(receipts, clients * each * 3 / 5, sending);
            payara.stop();
            payara = startServer(data);

            CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            for (ResilientClient chatter : chatters) {
                chatter.catchUp();
            }
        } finally {
            chatters.forEach(ResilientClient::close);
        }

        int total = clients * each;
        assertEquals(total, receipts.get(), "every message got its receipt in the end");
        ResilientClient.assertEverybodyHoldsEverythingOnce(chatters, ROOMS);
        // A client that had sent everything sat idle on its connection and may not have looked at it again
        // before the restart; the ones that were talking saw the goodbye.
        assertTrue(chatters.stream().anyMatch(c -> c.closeCodes().contains(1001)),
                "the stop said goodbye with 1001: " + chatters.stream().map(ResilientClient::closeCodes).toList());
        System.out.println("RestartIT: " + clients + " clients sent " + total + " messages into " + ROOMS.size()
                + " rooms through 2 network cuts and 1 restart; resends after a lost connection: "
                + chatters.stream().mapToInt(ResilientClient::resends).sum() + "; reconnects: "
                + chatters.stream().mapToInt(ResilientClient::reconnects).sum()
                + "; every client holds every message once, in order");
    }

    /**
     * What a moderator and an operator stored before a restart holds after it, on one node started again with its
     * configuration changed meanwhile.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class SettingsStoredBeforeARestart {

        private final String mutedRoom = "muted-" + port;
        private PayaraNode restarted;

        @BeforeAll
        void storeThemAndRestart() throws Exception {
            Path data = Path.of(System.getProperty("it.restart.dir")).resolve("settings");
            TestEnvironment.deleteTree(data);
            PayaraNode first = startServer(data);
            try (first;
                 WsClient olga = WsClient.hello(first.ws(), guestToken("olga"));
                 WsClient bob = WsClient.hello(first.ws(), guestToken("bob"))) {
                olga.send(WsClient.frame("join").add("ref", "j").add("room", mutedRoom));
                olga.reply("j", "joined");
                bob.send(WsClient.frame("join").add("ref", "j").add("room", mutedRoom));
                bob.reply("j", "joined");
                olga.send(WsClient.frame("mute").add("ref", "m").add("room", mutedRoom).add("user", bob.user()));
                olga.reply("m", "ok");
                HttpResponse<String> changed = asAdmin("PUT", "{\"maxTextChars\":50}");
                assertEquals(200, changed.statusCode(), changed.body());
            }
            restarted = PayaraNode.start(data, port, List.of("-Dparley.text.max.chars=3000"),
                    List.of("--nohazelcast"));
        }

        @AfterAll
        void stop() throws Exception {
            if (restarted != null) {
                restarted.stop();
            }
        }

        /**
         * A room mute holds from the first send after the restart: a node read the room mutes only at its first
         * re-read, 10 s after it started, and took a muted member's sends meanwhile.
         */
        @Test
        @Order(1) // within the 10 s before the node's first re-read of the mutes
        void aRoomMuteHoldsFromTheFirstSend() throws Exception {
            try (WsClient bob = WsClient.hello(restarted.ws(), guestToken("bob"))) {
                bob.send(WsClient.send("s", mutedRoom, "am I heard now?", "after-restart-1"));
                assertEquals("muted", bob.reply("s", "error").getString("code"));
            }
        }

        /**
         * A limit an operator changed at runtime holds over the configuration, even one changed meanwhile, until
         * a reset puts back the configured value of this start.
         */
        @Test
        void aLimitChangedAtRuntimeHoldsUntilItIsReset() throws Exception {
            assertEquals(50, json(asAdmin("GET", null)).getInt("maxTextChars"), "the change, not the configuration");
            String room = "limited-" + port;
            try (WsClient ann = WsClient.hello(restarted.ws(), guestToken("ann"))) {
                ann.send(WsClient.frame("join").add("ref", "j").add("room", room));
                ann.reply("j", "joined");
                ann.send(WsClient.send("s", room, "x".repeat(51), "after-restart-1"));
                assertEquals("too_large", ann.reply("s", "error").getString("code"));
            }
            HttpResponse<String> reset = asAdmin("DELETE", null);
            assertEquals(200, reset.statusCode(), reset.body());
            assertEquals(3000, json(reset).getInt("maxTextChars"), "the configuration of this start");
        }
    }

    private PayaraNode startServer(Path data) throws Exception {
        return PayaraNode.start(data, port, List.of(), List.of("--nohazelcast"));
    }

    /** The runtime limits, read, changed or reset by the operator. */
    private HttpResponse<String> asAdmin(String method, String body) throws Exception {
        HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(api("auth/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Server.credentials(Server.ADMIN,
                                System.getProperty("it.admin.password")))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        return HTTP.send(HttpRequest.newBuilder(api("admin/limits"))
                        .header("Authorization", "Bearer " + json(login).getString("token"))
                        .header("Content-Type", "application/json")
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI api(String path) {
        return URI.create("http://127.0.0.1:" + port + "/parley/api/" + path);
    }

    private static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private String guestToken(String nickname) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(api("auth/guest"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"nickname\":\"" + nickname + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return json(response).getString("token");
    }
}
