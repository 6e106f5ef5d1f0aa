package dev.parley.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.EncodedFrame;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.OnOpen;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.container.inmemory.InMemoryClientContainer;
import org.glassfish.tyrus.server.TyrusServerConfiguration;
import org.junit.jupiter.api.Test;

/** The raw frame path on Tyrus: frames joined into one write reach the client as separate messages, in order. */
class TyrusFrameWriterTest {

    private static final CompletableFuture<SendResult> WRITTEN = new CompletableFuture<>();

    /** Writes three frames, one of them past 125 bytes (a longer header), in one write as soon as it opens. */
    @ServerEndpoint("/frames")
    public static class ThreeFrames {
        @OnOpen
        public void open(Session session) {
            FrameWriter writer = FrameWriter.of(session);
            List<EncodedFrame> frames = List.of(new EncodedFrame("{\"n\":1}"),
                    new EncodedFrame("{\"n\":2,\"text\":\"" + "é".repeat(200) + "\"}"), new EncodedFrame("{\"n\":3}"));
            writer.write(frames, WRITTEN::complete);
        }
    }

    @Test
    void framesJoinedInOneWriteArriveAsSeparateMessagesInOrder() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create().build();
        config.getUserProperties().put(InMemoryClientContainer.SERVER_CONFIG,
                new TyrusServerConfiguration(Set.of(ThreeFrames.class), Set.of()));
        ClientManager client = ClientManager.createClient(InMemoryClientContainer.class.getName());
        Session session = client.connectToServer(new Endpoint() {
            @Override
            public void onOpen(Session opened, EndpointConfig ignored) {
                opened.addMessageHandler(String.class, (MessageHandler.Whole<String>) received::add);
            }
        }, config, URI.create("ws://inmemory/frames"));
        try {
            assertTrue(WRITTEN.get(10, TimeUnit.SECONDS).isOK());
            List<String> messages = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String next = received.poll(10, TimeUnit.SECONDS);
                assertTrue(next != null, "message " + (i + 1) + " arrived");
                messages.add(next);
            }
            assertEquals(List.of("{\"n\":1}", "{\"n\":2,\"text\":\"" + "é".repeat(200) + "\"}", "{\"n\":3}"),
                    messages);
        } finally {
            session.close();
        }
    }
}
