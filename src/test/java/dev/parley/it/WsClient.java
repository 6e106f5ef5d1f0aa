package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client over a real socket (the JDK's), recording every frame and the close code. */
public final class WsClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(15);

    private final WebSocket socket;
    private final BlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
    private final List<JsonObject> seen = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    /** The reason the server gave with its close, once closed. */
    private volatile String closeReason;

    private WsClient(HttpClient http, URI uri, String origin) {
        WebSocket.Builder builder = http.newWebSocketBuilder()
                .subprotocols("parley.v1")
                .connectTimeout(WAIT);
        if (origin != null) {
            builder.header("Origin", origin);
        }
        this.socket = builder.buildAsync(uri, new Listener()).join();
    }

    public static WsClient connect(URI uri) {
        return connect(uri, null);
    }

    public static WsClient connect(URI uri, String origin) {
        return new WsClient(HttpClient.newHttpClient(), uri, origin);
    }

    /** Over a client of the caller's, e.g. one that trusts the test server's certificate for wss. */
    public static WsClient connect(HttpClient http, URI uri, String origin) {
        return new WsClient(http, uri, origin);
    }

    /** A frame of the given type, for the caller to add fields to. */
    public static JsonObjectBuilder frame(String type) {
        return Json.createObjectBuilder().add("type", type);
    }

    public static JsonObjectBuilder send(String ref, String room, String text, String clientMsgId) {
        return frame("send").add("ref", ref).add("room", room).add("text", text).add("clientMsgId", clientMsgId);
    }

    /** A new guest with this nickname, connected and a member of the room. */
    public static WsClient joined(String nickname, String room) throws Exception {
        WsClient client = hello(Server.ws(), Server.guest(nickname).getString("token"));
        client.send(frame("join").add("ref", "join").add("room", room).build());
        client.reply("join", "joined");
        return client;
    }

    /** Connects and says hello; returns once {@code welcome} arrived. */
    public static WsClient hello(URI uri, String token) {
        WsClient client = connect(uri);
        client.send(Json.createObjectBuilder().add("type", "hello").add("token", token).build());
        client.await("welcome");
        return client;
    }

    public String subprotocol() {
        return socket.getSubprotocol();
    }

    public void send(JsonObject frame) {
        sendText(frame.toString());
    }

    public void send(JsonObjectBuilder frame) {
        send(frame.build());
    }

    /** A ping of exactly this many UTF-8 bytes, with this ref (ASCII), padded with a field the server ignores. */
    public static String padded(String ref, int bytes) {
        String frame = "{\"type\":\"ping\",\"ref\":\"" + ref + "\",\"pad\":\"%s\"}";
        return frame.formatted("y".repeat(bytes - (frame.length() - 2)));
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    /** The room's frames up to its {@code synced} (a replay, after {@code hello}), {@code synced} last. */
    public List<JsonObject> untilSynced(String room) {
        List<JsonObject> frames = new ArrayList<>();
        while (true) {
            JsonObject frame = await(null, f -> room.equals(f.getString("room", null)));
            frames.add(frame);
            if (frame.getString("type").equals("synced")) {
                return frames;
            }
        }
    }

    /** The seqs of the messages among these frames. */
    public static List<Long> seqs(List<JsonObject> frames) {
        return frames.stream().filter(f -> f.getString("type").equals("message"))
                .map(f -> f.getJsonNumber("seq").longValue()).toList();
    }

    /** The next frame of this type (frames of other types are kept for {@link #seen()}). */
    public JsonObject await(String type) {
        return await(type, frame -> true);
    }

    /** The next frame of this type (any type when null) that matches. */
    public JsonObject await(String type, Predicate<JsonObject> match) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonObject frame = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
                if (frame == null) {
                    fail("no " + type + " frame within " + WAIT + "; seen: " + seen);
                }
                synchronized (seen) {
                    seen.add(frame);
                }
                if ((type == null || type.equals(frame.getString("type"))) && match.test(frame)) {
                    return frame;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The reply to a request: the next frame with the given ref, which must be of the given type. */
    public JsonObject reply(String ref, String type) {
        JsonObject frame = await(null, f -> ref.equals(f.getString("ref", null)));
        assertEquals(type, frame.getString("type"), "reply to " + ref + ": " + frame);
        return frame;
    }

    /** Waits until each of these requests got its reply, which must be of the given type, in any order. */
    public void replies(Set<String> refs, String type) {
        Set<String> waiting = new HashSet<>(refs);
        while (!waiting.isEmpty()) {
            JsonObject reply = await(null, frame -> waiting.contains(frame.getString("ref", "")));
            assertEquals(type, reply.getString("type"), reply.toString());
            waiting.remove(reply.getString("ref"));
        }
    }

    /**
     * The reply to a request, or null when the server closed the connection instead (frames that arrived
     * before the close are read first).
     */
    public JsonObject replyOrClose(String ref) {
        JsonObject reply = replyWithin(ref, WAIT);
        if (reply == null && !closed.isDone()) {
            fail("neither a reply to " + ref + " nor a close within " + WAIT + "; seen: " + seen);
        }
        return reply;
    }

    /**
     * The reply to a request, or null when the connection closed or nothing came within the time: what a
     * client that watches its heartbeat concludes from silence.
     */
    public JsonObject replyWithin(String ref, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                boolean wasClosed = closed.isDone();
                JsonObject frame = inbox.poll(20, TimeUnit.MILLISECONDS);
                if (frame == null) {
                    if (wasClosed) {
                        return null;
                    }
                    continue;
                }
                synchronized (seen) {
                    seen.add(frame);
                }
                if (ref.equals(frame.getString("ref", null))) {
                    return frame;
                }
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Asserts that no frame of this type and match came before the answer to a ping sent now. The server
     * queues this connection's frames in order, so whatever it had queued before it read the ping comes first:
     * a barrier, not a wait that a late frame could outlast.
     */
    public void assertNoneBeforePong(String type, Predicate<JsonObject> match) {
        int mark;
        synchronized (seen) {
            mark = seen.size();
        }
        String ref = "barrier-" + System.nanoTime();
        send(frame("ping").add("ref", ref));
        reply(ref, "pong");
        synchronized (seen) {
            seen.subList(mark, seen.size()).stream()
                    .filter(frame -> type.equals(frame.getString("type")) && match.test(frame))
                    .findFirst().ifPresent(frame -> fail("unexpected " + frame));
        }
    }

    /**
     * Sends a message to the room and waits for it to come back. One thread of each node hands the messages
     * people send to a room to its readers, each message to all of them before the next, so by then every such
     * message this one came after is in the queue of each reader it was handed to: ask one of them
     * {@link #assertNoneBeforePong} after this, not after seeing the earlier message here, which other readers
     * may not have been handed yet.
     */
    public void awaitHandedToRoom(String room) {
        String text = "barrier-" + System.nanoTime();
        send(send(text, room, text, text));
        await("message", m -> m.getString("text").equals(text));
    }

    /**
     * Pings every second, as a client that sends nothing else must to stay connected, until closed; a ping that
     * fails (the connection is gone) ends it.
     */
    public Pinging pingEverySecond() {
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
        pinger.scheduleAtFixedRate(() -> send(frame("ping")), 0, 1, TimeUnit.SECONDS);
        return pinger::shutdownNow;
    }

    /** A client's pings: declared after the client in try-with-resources, they stop before it closes. */
    public interface Pinging extends AutoCloseable {
        @Override
        void close();
    }

    /** The close code the server sent, waiting for it. */
    public int awaitClose(Duration within) {
        try {
            Integer code = closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(code);
            return code;
        } catch (Exception e) {
            throw new AssertionError("no close code within " + within + " (" + e + "); seen: " + seen, e);
        }
    }

    /** The reason the server gave with its close; null before it closed. */
    public String closeReason() {
        return closeReason;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** The close code received; 1006 when the connection broke without one, -1 while it is open. */
    public int closeCode() {
        if (closed.isCompletedExceptionally()) {
            return 1006;
        }
        return closed.getNow(-1);
    }

    /** The user the server welcomed this client as (the first frame read, after {@code hello}). */
    public String user() {
        return seen().get(0).getString("user");
    }

    /** The frames read so far by the waits. */
    public List<JsonObject> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** Closes with a code of the client's choosing; returns the code of the server's close in answer. */
    public int closeWith(int code) {
        socket.sendClose(code, "bye").join();
        int answered = awaitClose(WAIT);
        socket.abort();
        return answered;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                inbox.add(Json.createReader(new StringReader(partial.toString())).readObject());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
