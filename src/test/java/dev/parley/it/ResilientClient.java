package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A client as the contract wants one: it keeps its unreceipted message and sends it again with the same
 * clientMsgId after reconnecting, resumes each room from the highest seq it holds, drops repeats and
 * acks what it holds. It does not page after {@code synced} with {@code more: true}: the tests that use it keep
 * what a client misses under the replay's 500 a room and under the IT servers' catch-up share (65,536
 * characters, a quarter of their outbound queue), some 43,000 characters at most in RestartIT.
 */
final class ResilientClient implements AutoCloseable {
    /** The test servers' heartbeat is 2 s: a connection silent for 3 of them is taken as lost. */
    static final Duration SILENCE = Duration.ofSeconds(6);
    private static final Duration RECONNECT = Duration.ofSeconds(180);

    private final URI ws;
    private final String token;
    private final List<String> rooms;
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

    private volatile long connectedAt;

    ResilientClient(URI ws, String token, AtomicInteger receipts, List<String> rooms) {
        this.ws = ws;
        this.token = token;
        this.receipts = receipts;
        this.rooms = rooms;
        rooms.forEach(room -> received.put(room, new LinkedHashMap<>()));
    }

    void chat(int count) {
        for (int n = 0; n < count; n++) {
            String room = rooms.get(n % rooms.size());
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
                String refusal = answer.getString("code", "");
                if (!refusal.equals("rate_limited") && !refusal.equals("internal")) {
                    throw new AssertionError(id + " refused for good: " + answer);
                }
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
        // The pong comes after the replay, so what was collected up to it is everything the server holds.
        if (client.replyWithin("last", SILENCE) == null) {
            throw new AssertionError(user + " got no pong to its last catch-up within " + SILENCE);
        }
        collect();
    }

    WsClient connected() {
        long deadline = System.nanoTime() + RECONNECT.toNanos();
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
                for (String room : rooms) {
                    if (!epochs.containsKey(room)) {
                        client.send(WsClient.frame("join").add("ref", "j-" + room).add("room", room));
                        JsonObject joined = client.reply("j-" + room, "joined");
                        epochs.put(room, joined.getString("epoch"));
                        held.putIfAbsent(room, 0L);
                    }
                }
                reconnects++;
                connectedAt = System.nanoTime();
            } catch (RuntimeException | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not reconnect within " + RECONNECT, e);
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

    /** {@link System#nanoTime()} when the client last got its welcome. */
    long connectedAt() {
        return connectedAt;
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

    /** Waits for the senders' receipts to reach {@code atLeast}; a sender that failed fails the test now. */
    static void awaitReceipts(AtomicInteger receipts, int atLeast, List<CompletableFuture<Void>> sending) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (receipts.get() < atLeast) {
            sending.stream().filter(CompletableFuture::isCompletedExceptionally).findFirst()
                    .ifPresent(CompletableFuture::join);
            assertTrue(System.nanoTime() < deadline, "only " + receipts.get() + " receipts, waiting for " + atLeast);
            Server.pause(50);
        }
    }

    /**
     * What the contract promises after any failure: every client holds every room's messages once, in seq
     * order without gaps, the same as every other client, and every message sent is stored exactly once.
     */
    static void assertEverybodyHoldsEverythingOnce(List<ResilientClient> chatters, List<String> rooms) {
        for (String room : rooms) {
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
        List<String> stored = rooms.stream().flatMap(r -> chatters.get(0).texts(r).stream()).sorted().toList();
        assertEquals(sent, stored, "every message sent is stored once, the retried ones too");
    }
}
