package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Chaos on a Payara Micro of the test's own (Arquillian cannot stop its server in the middle of a test):
 * clients send continuously through a network that is cut twice, then the server is stopped (SIGTERM)
 * and started again on the same H2 file. Every client must end with every message, exactly once, in seq
 * order, the same as every other client.
 */
@Tag("restart")
class RestartIT {

    private static final Duration START = Duration.ofSeconds(180);
    private static final List<String> ROOMS = List.of("chaos-a", "chaos-b");
    /** The test server's heartbeat is 2 s. */
    private static final Duration SILENCE = Duration.ofSeconds(6);

    private final int port = freePort();
    private Process payara;

    @AfterEach
    void stop() throws Exception {
        stopServer();
    }

    @Test
    void everyReceiptedMessageReachesEveryClientOnceInOrderThroughCutsAndARestart() throws Exception {
        Path data = Path.of(System.getProperty("it.restart.dir"));
        deleteTree(data);
        startServer(data);
        int clients = 4;
        int each = 60;
        AtomicInteger receipts = new AtomicInteger();
        List<ResilientClient> chatters = new ArrayList<>();
        try (CuttableProxy network = new CuttableProxy(port)) {
            URI ws = URI.create("ws://127.0.0.1:" + network.port() + "/parley/ws");
            for (int i = 0; i < clients; i++) {
                ResilientClient chatter = new ResilientClient(ws, guestToken("chaos" + i), receipts);
                chatter.connected(); // everybody joins both rooms before anybody sends
                chatters.add(chatter);
            }
            List<CompletableFuture<Void>> sending = chatters.stream()
                    .map(c -> CompletableFuture.runAsync(() -> c.chat(each))).toList();

            awaitReceipts(receipts, clients * each / 5, sending);
            network.cut();
            network.restore();
            awaitReceipts(receipts, clients * each * 2 / 5, sending);
            network.cut();
            network.restore();
            awaitReceipts(receipts, clients * each * 3 / 5, sending);
            stopServer();
            startServer(data);

            CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            for (ResilientClient chatter : chatters) {
                chatter.catchUp();
            }
        } finally {
            chatters.forEach(ResilientClient::close);
        }

        int total = clients * each;
        assertEquals(total, receipts.get(), "every message got its receipt in the end");
        for (String room : ROOMS) {
            List<String> first = chatters.get(0).texts(room);
            for (ResilientClient chatter : chatters) {
                List<Long> seqs = chatter.seqs(room);
                assertEquals(LongStream.rangeClosed(1, seqs.size()).boxed().toList(), seqs,
                        chatter + " saw " + room + " in seq order without gaps");
                assertEquals(first, chatter.texts(room), chatter + " saw the same " + room + " as the others");
            }
            Map<String, Long> copies = first.stream().collect(Collectors.groupingBy(t -> t, Collectors.counting()));
            assertTrue(copies.values().stream().allMatch(n -> n == 1), "no message stored twice: " + copies);
        }
        List<String> sent = chatters.stream().flatMap(c -> c.sent().stream()).sorted().toList();
        List<String> stored = ROOMS.stream().flatMap(r -> chatters.get(0).texts(r).stream()).sorted().toList();
        assertEquals(sent, stored, "every message sent is stored once, the retried ones too");
        assertTrue(chatters.stream().allMatch(c -> c.closeCodes().contains(1001)),
                "the stop said goodbye with 1001: " + chatters.stream().map(ResilientClient::closeCodes).toList());
        System.out.println("RestartIT: " + clients + " clients sent " + total + " messages into " + ROOMS.size()
                + " rooms through 2 network cuts and 1 restart; resends after a lost connection: "
                + chatters.stream().mapToInt(ResilientClient::resends).sum() + "; reconnects: "
                + chatters.stream().mapToInt(ResilientClient::reconnects).sum()
                + "; every client holds every message once, in order");
    }

    /**
     * A client as the contract wants one: it keeps its unreceipted message and sends it again with the same
     * clientMsgId after reconnecting, resumes each room from the highest seq it holds, drops repeats and
     * acks what it holds.
     */
    private static final class ResilientClient implements AutoCloseable {
        private final URI ws;
        private final String token;
        private final AtomicInteger receipts;
        private final Map<String, Long> held = new ConcurrentHashMap<>();
        private final Map<String, String> epochs = new ConcurrentHashMap<>();
        private final Map<String, Map<Long, String>> received = new ConcurrentHashMap<>();
        private final List<String> sent = new ArrayList<>();
        private final List<Integer> closeCodes = new ArrayList<>();
        private String user;
        private WsClient socket;
        private int readUpTo;
        private int resends;
        private int reconnects;

        ResilientClient(URI ws, String token, AtomicInteger receipts) {
            this.ws = ws;
            this.token = token;
            this.receipts = receipts;
            ROOMS.forEach(room -> received.put(room, new LinkedHashMap<>()));
        }

        void chat(int count) {
            for (int n = 0; n < count; n++) {
                String room = ROOMS.get(n % ROOMS.size());
                String id = user() + "-" + n;
                sent.add(id);
                boolean first = true;
                while (true) {
                    if (!first) {
                        resends++;
                    }
                    first = false;
                    JsonObject answer;
                    try {
                        WsClient client = connected();
                        client.send(WsClient.send(id, room, id, id));
                        // A cut connection may not even be reset: silence for a few heartbeats means lost.
                        answer = client.replyWithin(id, SILENCE);
                        collect();
                    } catch (RuntimeException brokenMeanwhile) {
                        answer = null;
                    }
                    if (answer == null) {
                        lost();
                        continue;
                    }
                    if (answer.getString("type").equals("receipt")) {
                        receipts.incrementAndGet();
                        break;
                    }
                    // rate_limited, or internal while the database was going away: the same id again.
                    Server.pause(200);
                }
                Server.pause(120);
            }
        }

        /** After the others are done: one more resume, to get what was sent after this client's last send. */
        void catchUp() {
            lost();
            WsClient client = connected();
            client.send(WsClient.frame("ping").add("ref", "last"));
            client.replyWithin("last", SILENCE);
            collect();
        }

        private WsClient connected() {
            long deadline = System.nanoTime() + START.toNanos();
            while (socket == null) {
                try {
                    WsClient client = WsClient.connect(ws);
                    JsonObjectBuilder resume = Json.createObjectBuilder();
                    held.forEach((room, seq) -> resume.add(room, Json.createObjectBuilder().add("seq", seq)
                            .add("epoch", epochs.get(room))));
                    client.send(WsClient.frame("hello").add("ref", "h").add("token", token).add("resume", resume));
                    JsonObject welcome = client.replyOrClose("h");
                    if (welcome == null || !welcome.getString("type").equals("welcome")) {
                        client.close();
                        throw new IllegalStateException("no welcome: " + welcome);
                    }
                    user = welcome.getString("user");
                    socket = client;
                    readUpTo = 0;
                    for (String room : ROOMS) {
                        if (!epochs.containsKey(room)) {
                            client.send(WsClient.frame("join").add("ref", "j-" + room).add("room", room));
                            JsonObject joined = client.reply("j-" + room, "joined");
                            epochs.put(room, joined.getString("epoch"));
                            held.putIfAbsent(room, 0L);
                        }
                    }
                    reconnects++;
                } catch (RuntimeException | AssertionError e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("could not reconnect within " + START, e);
                    }
                    Server.pause(250);
                }
            }
            return socket;
        }

        private void lost() {
            if (socket != null) {
                collect();
                if (socket.isClosed()) {
                    closeCodes.add(socket.closeCode());
                }
                socket.close();
                socket = null;
            }
        }

        /** Takes the messages read so far, drops repeats, and acks the highest seq held per room. */
        private void collect() {
            List<JsonObject> frames = socket.seen();
            Map<String, Long> acks = new HashMap<>();
            for (JsonObject frame : frames.subList(readUpTo, frames.size())) {
                if (!frame.getString("type").equals("message")) {
                    continue;
                }
                String room = frame.getString("room");
                long seq = frame.getJsonNumber("seq").longValue();
                long have = held.getOrDefault(room, 0L);
                if (seq == have + 1) {
                    received.get(room).put(seq, frame.getString("text"));
                    held.put(room, seq);
                    acks.put(room, seq);
                } else if (seq > have + 1) {
                    throw new AssertionError(this + " got " + room + " seq " + seq + " while holding " + have);
                }
            }
            readUpTo = frames.size();
            try {
                acks.forEach((room, seq) -> socket.send(WsClient.frame("ack").add("room", room).add("seq", seq)));
            } catch (RuntimeException brokenMeanwhile) {
                // The resume after reconnecting starts from what is held; the server acks it there.
            }
        }

        List<Long> seqs(String room) {
            return List.copyOf(received.get(room).keySet());
        }

        List<String> texts(String room) {
            return List.copyOf(received.get(room).values());
        }

        List<String> sent() {
            return sent;
        }

        List<Integer> closeCodes() {
            return closeCodes;
        }

        int resends() {
            return resends;
        }

        int reconnects() {
            return reconnects;
        }

        private String user() {
            return token.substring(token.length() - 8);
        }

        @Override
        public void close() {
            if (socket != null) {
                socket.close();
            }
        }

        @Override
        public String toString() {
            return "client " + user;
        }
    }

    private void startServer(Path data) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        // Not the JMX port of the suite's server: this one needs none.
        Arrays.stream(System.getProperty("it.payara.jvm").trim().split("\\s+"))
                .filter(option -> !option.startsWith("-Dcom.sun.management.jmxremote")).forEach(command::add);
        command.addAll(List.of("-Dparley.data.dir=" + data, "-jar", System.getProperty("payara.microJar"),
                "--deploy", System.getProperty("parley.war"), "--contextroot", "parley", "--port",
                String.valueOf(port), "--nohazelcast", "--prebootcommandfile",
                System.getProperty("it.payara.preboot")));
        File log = data.resolveSibling("restart-payara.log").toFile();
        Files.createDirectories(data);
        payara = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(payara.isAlive(), "Payara Micro exited; see " + log);
            try {
                HttpResponse<Void> page = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/parley/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (page.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Still starting.
            }
            Server.pause(500);
        }
        throw new AssertionError("Payara Micro did not serve the page within " + START + "; see " + log);
    }

    /** SIGTERM, as an operator stops it: the application closes its connections with 1001 on the way out. */
    private void stopServer() throws Exception {
        if (payara != null && payara.isAlive()) {
            payara.destroy();
            if (!payara.waitFor(60, TimeUnit.SECONDS)) {
                payara.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private String guestToken(String nickname) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/parley/api/auth/guest"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"nickname\":\"" + nickname + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Json.createReader(new java.io.StringReader(response.body())).readObject().getString("token");
    }

    private static void awaitReceipts(AtomicInteger receipts, int atLeast, List<CompletableFuture<Void>> sending) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (receipts.get() < atLeast) {
            sending.stream().filter(CompletableFuture::isCompletedExceptionally).findFirst()
                    .ifPresent(CompletableFuture::join);
            assertTrue(System.nanoTime() < deadline, "only " + receipts.get() + " receipts, waiting for " + atLeast);
            Server.pause(50);
        }
    }

    /** A free port below the kernel's ephemeral range, where no outgoing connection can take it meanwhile. */
    private static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
            try (ServerSocket socket = new ServerSocket(candidate, 1, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // Try another.
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000");
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
