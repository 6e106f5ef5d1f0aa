package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A member that stops reading fills only its own bounded queue and is closed with 4008; the others in the
 * room keep receiving at their pace. The test server's outbound queue is 256 KiB (pom.xml).
 */
@ExtendWith({FreshServer.class, ArquillianExtension.class})
@RunAsClient
@Tag("limits")
class SlowReaderIT {

    private static final String TEXT = "x".repeat(4000);

    @Test
    void aReaderThatStopsIsClosedWith4008AndTheOthersKeepTheirPace() throws Exception {
        String room = Server.unique("slow");
        double closedTooSlow = Server.metric("parley_connections_closed", "code=\"4008\"");
        String stuckUser;
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             RawClient stuck = RawClient.open(Server.guest(Server.unique("stuck")).getString("token"), room)) {
            stuckUser = stuck.user;
            List<WsClient> senders = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Long> latencies = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    senders.add(WsClient.joined(Server.unique("s" + i), room));
                }
                // Senders at the rate limit, 4,000 characters each: about 240 KB a second into the room.
                List<CompletableFuture<Void>> sending = senders.stream()
                        .map(sender -> CompletableFuture.runAsync(() -> sendBig(sender, room, stop))).toList();

                // ann reads normally and times how long a small message of hers takes to come back through the room.
                JsonPresence offline = new JsonPresence(stuckUser);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                int probe = 0;
                while (!offline.seen && System.nanoTime() < deadline) {
                    long start = System.nanoTime();
                    ann.send(WsClient.send("p" + probe, room, "probe " + probe, "probe-" + probe));
                    long seq = ann.reply("p" + probe, "receipt").getJsonNumber("seq").longValue();
                    String text = "probe " + probe;
                    ann.await("message", m -> m.getString("text").equals(text)); // through the room, like anyone's
                    latencies.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
                    ann.send(WsClient.frame("ack").add("room", room).add("seq", seq));
                    probe++;
                    ann.seen().forEach(offline::check);
                    Server.pause(250);
                }
                stuck.stopPinging();
                stop.set(true);
                CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                assertTrue(offline.seen, "the stuck reader was taken offline");
            } finally {
                senders.forEach(WsClient::close);
            }
            // The reader goes offline as soon as its queue overflows; its socket is closed once the write stuck
            // in flight has timed out (10 s), which may be after that: wait for it, within the heartbeat sweeps.
            double closed = Server.awaitMetric("parley_connections_closed", "code=\"4008\"", closedTooSlow + 1,
                    Duration.ofSeconds(30));
            assertEquals(closedTooSlow + 1, closed, "the server closed the stuck reader with 4008");
            // What the stuck reader finds once it reads again: the close frame, or only the end of the connection.
            // The server gives up on a write that cannot complete and closes the socket with the frame unsent; and a
            // ping of the stuck reader reaching the server after the close (it pings until the test sees it
            // offline) is answered with a reset, which throws away what was not read yet. Never anything else,
            // and never a connection left open.
            int code = stuck.closeCode();
            assertTrue(code == 4008 || code == RawClient.ENDED || code == RawClient.RESET,
                    "the stuck reader's close code: " + code);
            long worst = latencies.stream().mapToLong(Long::longValue).max().orElseThrow();
            System.out.println("SlowReaderIT: " + latencies.size() + " probes while a reader was stuck, worst "
                    + worst + " ms");
            assertTrue(worst < 2_000, "the others kept their pace: worst probe " + worst + " ms");
        }
    }

    /** Big messages at the rate limit until told to stop, acking as a well-behaved reader does. */
    private static void sendBig(WsClient sender, String room, AtomicBoolean stop) {
        for (int n = 0; !stop.get() && n < 2_000; n++) {
            sender.send(WsClient.send("r" + n, room, TEXT, "big-" + n));
            long seq = sender.reply("r" + n, "receipt").getJsonNumber("seq").longValue();
            if (n % 10 == 0) {
                sender.send(WsClient.frame("ack").add("room", room).add("seq", seq));
            }
            Server.pause(60);
        }
    }

    /** Watches for the presence frame that says the user went offline. */
    private static final class JsonPresence {
        private final String user;
        private boolean seen;

        JsonPresence(String user) {
            this.user = user;
        }

        void check(jakarta.json.JsonObject frame) {
            if (frame.getString("type").equals("presence") && frame.getString("user").equals(user)
                    && !frame.getBoolean("online")) {
                seen = true;
            }
        }
    }

    /** A WebSocket client on a raw socket with a tiny receive buffer, which stops reading after joining. */
    private static final class RawClient implements AutoCloseable {
        /** What {@link #closeCode} says when the connection ended, or was reset, before a close frame was read. */
        static final int ENDED = -1;
        static final int RESET = -2;
        private final Socket socket;
        private final DataInputStream in;
        private final String user;
        private volatile boolean pinging = true;

        private RawClient(Socket socket, String user) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.user = user;
        }

        static RawClient open(String token, String room) throws Exception {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            RawUpgrade.connect(socket);
            socket.setSoTimeout(15_000);
            String head = RawUpgrade.upgrade(socket);
            assertEquals(101, RawUpgrade.status(head), head);
            String user = "guest-" + new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                    StandardCharsets.UTF_8).replaceAll(".*\"sub\":\"guest-([^\"]+)\".*", "$1");
            RawClient client = new RawClient(socket, user);
            client.sendText("{\"type\":\"hello\",\"token\":\"" + token + "\"}");
            client.sendText("{\"type\":\"join\",\"room\":\"" + room + "\"}");
            // It keeps pinging, as a live client whose reading is stuck would: the heartbeat is satisfied.
            Thread pinger = new Thread(() -> {
                while (client.pinging && !socket.isClosed()) {
                    try {
                        client.sendText("{\"type\":\"ping\"}");
                        Thread.sleep(1000);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            }, "stuck-pinger");
            pinger.setDaemon(true);
            pinger.start();
            return client;
        }

        void stopPinging() {
            pinging = false;
        }

        /** Reads again: skips the frames that piled up; the close frame's code, {@link #ENDED} or {@link #RESET}. */
        int closeCode() throws IOException {
            try {
                while (true) {
                    int opcode = in.readUnsignedByte() & 0x0F;
                    long length = in.readUnsignedByte() & 0x7F;
                    if (length == 126) {
                        length = in.readUnsignedShort();
                    } else if (length == 127) {
                        length = in.readLong();
                    }
                    byte[] payload = new byte[(int) length];
                    in.readFully(payload);
                    if (opcode == 0x8) {
                        return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
                    }
                }
            } catch (EOFException e) {
                return ENDED;
            } catch (SocketException e) {
                if (e.getMessage() != null && e.getMessage().contains("reset")) {
                    return RESET;
                }
                throw e;
            }
        }

        /** From the test's thread and the pinger's: one frame at a time. */
        private synchronized void sendText(String text) throws IOException {
            RawUpgrade.sendText(socket, text);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
