package dev.parley.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.EncodedFrame;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The single-writer queue against a scripted session: it checks what the WebSocket API requires (one send
 * at a time) and what Parley promises (order kept, bounded memory, slow readers closed with 4008).
 */
class OutboundQueueTest {

    /** A session whose async remote records sends; the test decides when each send completes. */
    static final class FakeSession {
        final List<String> sent = Collections.synchronizedList(new ArrayList<>());
        final Queue<SendHandler> pending = new ConcurrentLinkedQueue<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        volatile boolean completeAtOnce;
        volatile CloseReason closedWith;
        final Session session;

        FakeSession() {
            RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                        if (method.getName().equals("sendText") && args.length == 2) {
                            if (inFlight.incrementAndGet() > 1) {
                                overlaps.incrementAndGet();
                            }
                            sent.add((String) args[0]);
                            SendHandler handler = (SendHandler) args[1];
                            if (completeAtOnce) {
                                complete(handler, new SendResult());
                            } else {
                                pending.add(handler);
                            }
                        }
                        return null;
                    });
            session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getAsyncRemote" -> remote;
                        case "getId" -> "s1";
                        case "close" -> {
                            assertEquals(0, inFlight.get(), "close while a send is in flight");
                            closedWith = (CloseReason) args[0];
                            yield null;
                        }
                        default -> null;
                    });
        }

        void complete(SendHandler handler, SendResult result) {
            inFlight.decrementAndGet();
            handler.onResult(result);
        }

        /** Completes the oldest pending send. */
        boolean completeOne() {
            SendHandler handler = pending.poll();
            if (handler == null) {
                return false;
            }
            complete(handler, new SendResult());
            return true;
        }
    }

    private static EncodedFrame frame(String json) {
        return new EncodedFrame(json);
    }

    @Test
    void sendsOneFrameAtATimeInOrder() {
        FakeSession fake = new FakeSession();
        OutboundQueue queue = new OutboundQueue(fake.session, 1_000, Runnable::run);
        assertTrue(queue.offer(frame("a")));
        assertTrue(queue.offer(frame("b")));
        assertTrue(queue.offer(frame("c")));
        assertEquals(List.of("a"), fake.sent, "the next frame waits for the previous send");
        fake.completeOne();
        assertEquals(List.of("a", "b"), fake.sent);
        fake.completeOne();
        fake.completeOne();
        assertEquals(List.of("a", "b", "c"), fake.sent);
        assertEquals(0, queue.queuedChars());
    }

    @Test
    void sendsThatCompleteOnTheCallingThreadDoNotRecurse() {
        FakeSession fake = new FakeSession();
        fake.completeAtOnce = true;
        OutboundQueue queue = new OutboundQueue(fake.session, Long.MAX_VALUE, Runnable::run);
        for (int i = 0; i < 100_000; i++) {
            queue.offer(frame("m" + i));
        }
        assertEquals(100_000, fake.sent.size());
        assertEquals("m99999", fake.sent.get(99_999));
        assertEquals(0, fake.overlaps.get());
    }

    @Test
    void aFullQueueRefusesAtTheBoundAndPastIt() {
        FakeSession fake = new FakeSession();
        OutboundQueue queue = new OutboundQueue(fake.session, 10, Runnable::run);
        assertTrue(queue.offer(frame("0123456789")), "in flight: no longer counted");
        assertTrue(queue.offer(frame("01234")));
        assertTrue(queue.offer(frame("56789")), "exactly at the bound");
        assertFalse(queue.offer(frame("x")), "one character past it");
    }

    @Test
    void abortDropsWhatIsQueuedAndClosesWith4008AfterTheSendInFlight() {
        FakeSession fake = new FakeSession();
        OutboundQueue queue = new OutboundQueue(fake.session, 1_000, Runnable::run);
        queue.offer(frame("a"));
        queue.offer(frame("b"));
        queue.abort(4008, "too slow to read");
        assertNull(fake.closedWith, "the send in flight finishes first");
        assertFalse(queue.offer(frame("c")), "a closing queue takes nothing");
        fake.completeOne();
        assertEquals(List.of("a"), fake.sent);
        assertEquals(4008, fake.closedWith.getCloseCode().getCode());
    }

    @Test
    void closeSendsWhatIsQueuedFirst() {
        FakeSession fake = new FakeSession();
        OutboundQueue queue = new OutboundQueue(fake.session, 1_000, Runnable::run);
        queue.offer(frame("a"));
        queue.offer(frame("b"));
        queue.close(1001, "server going away");
        while (fake.completeOne()) {
            // the queue sends b after a
        }
        assertEquals(List.of("a", "b"), fake.sent);
        assertEquals(1001, fake.closedWith.getCloseCode().getCode());
    }

    @Test
    void aFailedSendClosesWith4008() {
        FakeSession fake = new FakeSession();
        OutboundQueue queue = new OutboundQueue(fake.session, 1_000, Runnable::run);
        queue.offer(frame("a"));
        queue.offer(frame("b"));
        fake.complete(fake.pending.poll(), new SendResult(new java.io.IOException("send timed out")));
        assertEquals(List.of("a"), fake.sent);
        assertEquals(4008, fake.closedWith.getCloseCode().getCode());
    }

    @Test
    void aSendStuckLongerThanTheTimeoutIsClosedWith4008() {
        FakeSession fake = new FakeSession();
        long[] now = {0};
        OutboundQueue queue = new OutboundQueue(fake.session, null, 1_000, Runnable::run, () -> now[0]);
        queue.offer(frame("a"));
        now[0] = OutboundQueue.SEND_TIMEOUT_MILLIS * 1_000_000;
        assertFalse(queue.closeIfStalled(), "exactly at the timeout it may still complete");
        now[0]++;
        fake.inFlight.set(0); // the fake session refuses a close during a send; Tyrus orders it after the send
        assertTrue(queue.closeIfStalled());
        assertEquals(4008, fake.closedWith.getCloseCode().getCode());
        assertFalse(queue.offer(frame("b")));
        assertFalse(queue.closeIfStalled(), "closed once");
    }

    @Test
    void anIdleQueueIsNeverStalled() {
        FakeSession fake = new FakeSession();
        fake.completeAtOnce = true;
        long[] now = {0};
        OutboundQueue queue = new OutboundQueue(fake.session, null, 1_000, Runnable::run, () -> now[0]);
        queue.offer(frame("a"));
        now[0] = Long.MAX_VALUE / 2;
        assertFalse(queue.closeIfStalled());
        assertNull(fake.closedWith);
    }

    @Test
    void manyProducersNeverOverlapSendsAndLoseNothing() throws Exception {
        FakeSession fake = new FakeSession();
        OutboundQueue queue = new OutboundQueue(fake.session, Long.MAX_VALUE, Runnable::run);
        ExecutorService producers = Executors.newFixedThreadPool(4);
        ExecutorService network = Executors.newSingleThreadExecutor();
        CountDownLatch done = new CountDownLatch(4);
        for (int p = 0; p < 4; p++) {
            int producer = p;
            producers.execute(() -> {
                for (int i = 0; i < 2_000; i++) {
                    queue.offer(frame(producer + ":" + i));
                }
                done.countDown();
            });
        }
        AtomicInteger completed = new AtomicInteger();
        network.execute(() -> {
            while (completed.get() < 8_000) {
                if (fake.completeOne()) {
                    completed.incrementAndGet();
                }
            }
        });
        assertTrue(done.await(30, TimeUnit.SECONDS));
        network.shutdown();
        assertTrue(network.awaitTermination(30, TimeUnit.SECONDS));
        producers.shutdown();
        assertEquals(0, fake.overlaps.get(), "two sends were in flight at once");
        assertEquals(8_000, fake.sent.size());
        for (int p = 0; p < 4; p++) {
            String prefix = p + ":";
            List<Integer> order = fake.sent.stream().filter(f -> f.startsWith(prefix))
                    .map(f -> Integer.parseInt(f.substring(prefix.length()))).toList();
            assertEquals(2_000, order.size());
            for (int i = 0; i < order.size(); i++) {
                assertEquals(i, order.get(i), "each producer's frames keep their order");
            }
        }
    }

    /** A writer that joins frames, as Tyrus's does: it records each write's frames; the test completes them. */
    static final class JoiningWriter implements FrameWriter {
        final List<List<String>> writes = new CopyOnWriteArrayList<>();
        final Queue<SendHandler> pending = new ConcurrentLinkedQueue<>();

        @Override
        public int maxFrames() {
            return 3;
        }

        @Override
        public void write(List<EncodedFrame> frames, SendHandler done) {
            writes.add(frames.stream().map(EncodedFrame::json).toList());
            pending.add(done);
        }

        void completeOne() {
            pending.poll().onResult(new SendResult());
        }
    }

    @Test
    void framesQueuedDuringAWriteGoOutTogetherInTheNextUpToTheWritersLimit() {
        JoiningWriter writer = new JoiningWriter();
        OutboundQueue queue = new OutboundQueue(new FakeSession().session, writer, 1_000, Runnable::run,
                System::nanoTime);
        List.of("a", "b", "c", "d", "e").forEach(json -> assertTrue(queue.offer(frame(json))));
        assertEquals(List.of(List.of("a")), writer.writes);
        writer.completeOne();
        assertEquals(List.of(List.of("a"), List.of("b", "c", "d")), writer.writes);
        assertEquals(1, queue.queuedChars(), "e waits for the next write");
        writer.completeOne();
        writer.completeOne();
        assertEquals(List.of(List.of("a"), List.of("b", "c", "d"), List.of("e")), writer.writes);
        assertEquals(0, queue.queuedChars());
    }

    @Test
    void aWriteTakesAtLeastOneFrameAndStopsJoiningPastTheCharacterBound() {
        JoiningWriter writer = new JoiningWriter();
        OutboundQueue queue = new OutboundQueue(new FakeSession().session, writer, Long.MAX_VALUE, Runnable::run,
                System::nanoTime);
        String big = "x".repeat(OutboundQueue.WRITE_CHARS);
        queue.offer(frame("first"));
        queue.offer(frame(big));
        queue.offer(frame("after"));
        writer.completeOne();
        assertEquals(List.of(List.of("first"), List.of(big)), writer.writes, "a frame at the bound goes alone");
        writer.completeOne();
        assertEquals(List.of("after"), writer.writes.get(2));
    }

    @Test
    void framesAreWrittenOnTheLaneNotOnTheOfferingThread() throws Exception {
        FakeSession fake = new FakeSession();
        fake.completeAtOnce = true;
        List<Runnable> lane = new CopyOnWriteArrayList<>();
        OutboundQueue queue = new OutboundQueue(fake.session, 1_000, lane::add);
        queue.offer(frame("a"));
        queue.offer(frame("b"));
        assertEquals(List.of(), fake.sent, "the offering thread only queues");
        assertEquals(1, lane.size(), "one writer task for the connection, however many frames");
        lane.get(0).run();
        assertEquals(List.of("a", "b"), fake.sent);
        queue.offer(frame("c"));
        assertEquals(2, lane.size(), "an idle writer is started again");
        lane.get(1).run();
        assertEquals(List.of("a", "b", "c"), fake.sent);
    }
}
