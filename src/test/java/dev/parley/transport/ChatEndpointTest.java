package dev.parley.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.Limits;
import dev.parley.protocol.CloseCodes;
import dev.parley.testing.TestChat;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.StringReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.container.inmemory.InMemoryClientContainer;
import org.glassfish.tyrus.server.TyrusServerConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The endpoint and its codecs on Tyrus (the WebSocket implementation inside Payara), in memory: real frames
 * through the real endpoint class, without a network or an application server.
 */
class ChatEndpointTest {

    /** The defaults with a 1 KiB frame and a 100-character text. */
    private static final Limits SMALL = Limits.DEFAULTS.with(null, null, 1024, 100);

    private final TestChat t = new TestChat(SMALL);
    private ClientManager client;

    @BeforeEach
    void start() {
        ChatEndpoint.standalone = t.chat;
        client = ClientManager.createClient(InMemoryClientContainer.class.getName());
    }

    @AfterEach
    void stop() {
        ChatEndpoint.standalone = null;
    }

    @Test
    void helloJoinSendAndPingThroughTheEndpoint() throws Exception {
        Peer ann = connect();
        ann.send("{\"type\":\"hello\",\"ref\":\"h\",\"token\":\"" + token("ann") + "\"}");
        assertEquals("ann", ann.next("welcome").getString("user"));
        ann.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"lobby\"}");
        assertEquals("owner", ann.next("joined").getString("role"));
        ann.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"lobby\",\"text\":\"hi\",\"clientMsgId\":\"c1\"}");
        assertEquals("s", ann.next("receipt").getString("ref"));
        JsonObject message = ann.next("message");
        assertEquals("hi", message.getString("text"));
        assertEquals(1, message.getInt("seq"));
        ann.send("{\"type\":\"ping\",\"ref\":\"p\",\"t\":42}");
        assertEquals(42, ann.next("pong").getInt("t"));
        assertEquals("parley.v1", ann.session.getNegotiatedSubprotocol());
    }

    /**
     * A hello without a token, or with an empty one (a page that lost its storage), has a bad token: closed with
     * 4501, after which a client signs in again, not with {@code bad_request} and 4401, after which it would
     * reconnect with the same hello forever.
     */
    @Test
    void aHelloWithoutATokenClosesWith4501() throws Exception {
        for (String hello : new String[] {"{\"type\":\"hello\",\"ref\":\"h\"}",
                "{\"type\":\"hello\",\"ref\":\"h\",\"token\":\"\"}"}) {
            Peer ann = connect();
            ann.sendLast(hello);
            assertEquals(CloseCodes.BAD_TOKEN, ann.closeCode(), hello);
        }
    }

    @Test
    void badFramesAreAnsweredAndTheConnectionStays() throws Exception {
        Peer ann = hello("ann");
        ann.send("{oops");
        JsonObject error = ann.next("error");
        assertEquals("bad_request", error.getString("code"));
        assertFalse(error.containsKey("ref"));
        ann.send("{\"type\":\"teleport\",\"ref\":\"x1\"}");
        error = ann.next("error");
        assertEquals("x1", error.getString("ref"));
        assertEquals("unknown type: teleport", error.getString("message"));
        ann.send("{\"type\":\"ping\",\"ref\":\"still\"}");
        assertEquals("still", ann.next("pong").getString("ref"));
    }

    @Test
    void aBinaryFrameIsABadFrameAndTheConnectionStays() throws Exception {
        Peer ann = hello("ann");
        byte[] ping = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        ann.session.getBasicRemote().sendBinary(ByteBuffer.wrap(ping));
        JsonObject error = ann.next("error");
        assertEquals("bad_request", error.getString("code"));
        assertEquals("frames are JSON text, not binary", error.getString("message"));
        ann.send("{\"type\":\"ping\",\"ref\":\"still\"}");
        assertEquals("still", ann.next("pong").getString("ref"));
    }

    /** Gathered in pieces, a binary message could grow without end before it is refused: the frame limit holds. */
    @Test
    void aBinaryMessageIsHeldToTheFrameLimitToo() throws Exception {
        Peer ann = hello("ann");
        ann.session.getBasicRemote().sendBinary(ByteBuffer.wrap(new byte[1024]));
        assertEquals("bad_request", ann.next("error").getString("code"), "at the limit: refused as binary");
        try {
            ann.session.getBasicRemote().sendBinary(ByteBuffer.wrap(new byte[1000]), false);
            ann.session.getBasicRemote().sendBinary(ByteBuffer.wrap(new byte[25]), true);
        } catch (RejectedExecutionException e) {
            // In memory the server closes within our send, and the client's idle timer is already gone.
        }
        assertEquals(CloseReason.CloseCodes.TOO_BIG.getCode(), ann.closeCode());
    }

    @Test
    void aFrameOverTheLimitClosesWith1009() throws Exception {
        Peer ann = hello("ann");
        String frame = "{\"type\":\"ping\",\"ref\":\"edge\",\"pad\":\"%s\"}";
        String atLimit = frame.formatted("x".repeat(1024 - frame.length() + 2));
        assertEquals(1024, atLimit.length());
        ann.send(atLimit);
        assertEquals("edge", ann.next("pong").getString("ref"));
        try {
            ann.send(frame.formatted("x".repeat(1024 - frame.length() + 3)));
        } catch (RejectedExecutionException e) {
            // In memory the server closes within our send, and the client's idle timer is already gone.
        }
        assertEquals(CloseReason.CloseCodes.TOO_BIG.getCode(), ann.closeCode());
    }

    @Test
    void aFrameIsMeasuredInUtf8BytesNotCharacters() throws Exception {
        Peer ann = hello("ann");
        String frame = "{\"type\":\"ping\",\"ref\":\"wide\",\"pad\":\"%s\"}";
        int asciiBytes = frame.length() - 2;
        // Two bytes each: 1,024 bytes in fewer than 1,024 characters (an "x" evens the count when needed).
        String pad = "\u00e9".repeat((1024 - asciiBytes) / 2) + "x".repeat((1024 - asciiBytes) % 2);
        String atLimit = frame.formatted(pad);
        assertEquals(1024, atLimit.getBytes(StandardCharsets.UTF_8).length);
        ann.send(atLimit);
        assertEquals("wide", ann.next("pong").getString("ref"));

        String past = frame.formatted(pad + "x");
        assertTrue(past.length() < 1024, "past the limit in bytes, not in characters");
        try {
            ann.send(past);
        } catch (RejectedExecutionException e) {
            // In memory the server closes within our send, and the client's idle timer is already gone.
        }
        assertEquals(CloseReason.CloseCodes.TOO_BIG.getCode(), ann.closeCode());
    }

    @Test
    void clientsWithoutTheSubprotocolAreAcceptedToo() throws Exception {
        Peer plain = connect(List.of());
        plain.send("{\"type\":\"hello\",\"token\":\"" + token("bob") + "\"}");
        assertEquals("bob", plain.next("welcome").getString("user"));
        assertEquals("", plain.session.getNegotiatedSubprotocol());
    }

    private String token(String user) {
        return t.tokens.issue(user, Set.of()).token();
    }

    private Peer hello(String user) throws Exception {
        Peer peer = connect();
        peer.send("{\"type\":\"hello\",\"token\":\"" + token(user) + "\"}");
        peer.next("welcome");
        return peer;
    }

    private Peer connect() throws Exception {
        return connect(List.of("parley.v1"));
    }

    private Peer connect(List<String> subprotocols) throws Exception {
        Peer peer = new Peer();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create().preferredSubprotocols(subprotocols).build();
        config.getUserProperties().put(InMemoryClientContainer.SERVER_CONFIG,
                new TyrusServerConfiguration(Set.of(ChatEndpoint.class), Set.of()));
        peer.session = client.connectToServer(peer, config, URI.create("ws://inmemory/ws"));
        return peer;
    }

    /** A client endpoint that queues what it receives. */
    static final class Peer extends Endpoint {
        final BlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        Session session;

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text ->
                    inbox.add(Json.createReader(new StringReader(text)).readObject()));
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            closed.complete(reason.getCloseCode().getCode());
        }

        void send(String text) throws Exception {
            session.getBasicRemote().sendText(text);
        }

        /** A frame the server closes on: in memory it closes within our send, whose idle timer is gone then. */
        void sendLast(String text) throws Exception {
            try {
                send(text);
            } catch (RejectedExecutionException e) {
                // closed already
            }
        }

        /** The next frame that is not presence (which comes whenever somebody's state changes). */
        JsonObject next(String type) throws InterruptedException {
            JsonObject frame;
            do {
                frame = inbox.poll(5, TimeUnit.SECONDS);
                if (frame == null) {
                    throw new AssertionError("no frame; expected " + type);
                }
            } while (frame.getString("type").equals("presence"));
            assertEquals(type, frame.getString("type"), frame.toString());
            return frame;
        }

        int closeCode() throws Exception {
            return closed.get(5, TimeUnit.SECONDS);
        }
    }
}
