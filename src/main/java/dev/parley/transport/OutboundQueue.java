package dev.parley.transport;

import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.EncodedFrame;
import dev.parley.room.Outbound;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connection's outbound queue and its single writer. Any thread may offer a frame; the frames are written
 * on the connection's writer lane (see {@link WriterLanes}), never on the offering thread, so that the thread
 * handing a message to a room of thousands only queues and the socket writes are spread over the lanes. The
 * writer sends what is queued (several frames in one write where the container allows it), the next write
 * only when the previous one completed. So there is never more than one send on the session, no thread waits
 * on a socket, and no lock is held. The queue is bounded by the characters it holds: a reader that falls that
 * far behind is closed rather than allowed to grow the server's memory or hold up anybody else. A send that
 * never completes (a peer that stopped reading with full TCP buffers) is found by the heartbeat sweep through
 * {@link #closeIfStalled()}: Tyrus ignores {@code setSendTimeout}.
 */
public final class OutboundQueue implements Outbound {

    private static final Logger LOG = Logger.getLogger(OutboundQueue.class.getName());

    /** A send that has not completed in this time closes the connection with 4008. */
    public static final long SEND_TIMEOUT_MILLIS = 10_000;

    /** Frames are joined into one write up to about this many characters (a write is not delayed for them). */
    static final int WRITE_CHARS = 32 * 1024;

    private final Session session;
    private final FrameWriter writer;
    private final Executor lane;
    private final long maxChars;
    private final Queue<EncodedFrame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedChars = new AtomicLong();
    /** Work-in-progress counter of the write loop: only the lane task started when it left 0 sends. */
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicReference<CloseReason> closing = new AtomicReference<>();
    private final LongSupplier nanoClock;
    private volatile boolean inFlight;
    private volatile long sendStartedNanos;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param lane where this connection's writes run, one task at a time (see {@link WriterLanes}) */
    public OutboundQueue(Session session, long maxChars, Executor lane) {
        this(session, null, maxChars, lane, System::nanoTime);
    }

    OutboundQueue(Session session, FrameWriter writer, long maxChars, Executor lane, LongSupplier nanoClock) {
        this.session = session;
        // Honoured by some containers (not by Tyrus); closeIfStalled covers the others.
        session.getAsyncRemote().setSendTimeout(SEND_TIMEOUT_MILLIS);
        this.writer = writer != null ? writer : FrameWriter.of(session);
        this.maxChars = maxChars;
        this.lane = lane;
        this.nanoClock = nanoClock;
    }

    @Override
    public boolean offer(EncodedFrame frame) {
        if (closing.get() != null) {
            return false;
        }
        int chars = frame.json().length();
        if (queuedChars.addAndGet(chars) > maxChars) {
            queuedChars.addAndGet(-chars);
            return false;
        }
        queue.offer(frame);
        drain();
        return true;
    }

    @Override
    public void close(int code, String reason) {
        requestClose(code, reason, false);
    }

    @Override
    public void abort(int code, String reason) {
        requestClose(code, reason, true);
    }

    @Override
    public long queuedChars() {
        return queuedChars.get();
    }

    @Override
    public long sendingMillis() {
        return inFlight && !closed.get() ? (nanoClock.getAsLong() - sendStartedNanos) / 1_000_000 : 0;
    }

    private void requestClose(int code, String reason, boolean dropQueued) {
        if (!closing.compareAndSet(null, new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason))) {
            return;
        }
        if (dropQueued) {
            queue.clear();
        }
        drain();
    }

    /** Starts the writer on the lane unless it runs already; then it sees this call's work too. */
    private void drain() {
        if (wip.getAndIncrement() == 0) {
            lane.execute(this::write);
        }
    }

    private void write() {
        int missed = 1;
        do {
            while (!inFlight && !closed.get()) {
                List<EncodedFrame> next = takeQueued();
                if (next.isEmpty()) {
                    if (closing.get() != null) {
                        closeNow();
                    }
                    break;
                }
                sendStartedNanos = nanoClock.getAsLong();
                inFlight = true;
                try {
                    writer.write(next, this::sent);
                } catch (RuntimeException e) {
                    failed(e);
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    /** What one write takes: up to the writer's limit of frames and {@link #WRITE_CHARS}, at least one frame. */
    private List<EncodedFrame> takeQueued() {
        List<EncodedFrame> frames = new ArrayList<>(Math.min(4, writer.maxFrames()));
        long chars = 0;
        EncodedFrame next;
        while (frames.size() < writer.maxFrames() && (frames.isEmpty() || chars < WRITE_CHARS)
                && (next = queue.poll()) != null) {
            frames.add(next);
            chars += next.json().length();
        }
        queuedChars.addAndGet(-chars);
        return frames;
    }

    /** May run on the writing thread itself; the write loop's counter keeps that from recursing. */
    private void sent(SendResult result) {
        if (!result.isOK()) {
            failed(result.getException());
        }
        inFlight = false;
        drain();
    }

    /**
     * A send failed or timed out: the peer is gone or not reading. The write loop closes the session, so
     * that the close too is sent by the one writer.
     */
    private void failed(Throwable e) {
        LOG.log(Level.FINE, "send failed on session " + session.getId(), e);
        closing.compareAndSet(null, new CloseReason(CloseReason.CloseCodes.getCloseCode(CloseCodes.TOO_SLOW),
                "send failed"));
        queue.clear();
        inFlight = false;
    }

    /**
     * The one close outside the write loop: the send in flight will not complete, so the loop never gets
     * to close. Tyrus orders a close after the frames it is writing, under its own lock.
     */
    @Override
    public boolean closeIfStalled() {
        if (!inFlight || closed.get() || nanoClock.getAsLong() - sendStartedNanos <= SEND_TIMEOUT_MILLIS * 1_000_000) {
            return false;
        }
        closing.compareAndSet(null, new CloseReason(CloseReason.CloseCodes.getCloseCode(CloseCodes.TOO_SLOW),
                "too slow to read"));
        closeNow();
        return true;
    }

    /**
     * Called by the write loop, and by the sweep for a stalled send: a send that completes just as the sweep
     * closes lets both get here, and only the first closes.
     */
    private void closeNow() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        queue.clear();
        queuedChars.set(0);
        try {
            session.close(closing.get());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "close failed on session " + session.getId(), e);
        }
    }
}
