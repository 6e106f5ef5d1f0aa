package dev.parley.testing;

import dev.parley.protocol.EncodedFrame;
import dev.parley.protocol.Frames;
import dev.parley.room.Outbound;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** An outbound side that keeps what was sent, for tests of the plain-Java chat logic. */
public final class RecordingOutbound implements Outbound {

    private static final JsonProvider JSON = JsonProvider.provider();

    public final List<String> frames = new CopyOnWriteArrayList<>();
    public volatile Integer closeCode;
    public volatile String closeReason;
    public volatile int capacity = Integer.MAX_VALUE;
    /** A write is in flight and does not complete (the peer stopped reading). */
    public volatile boolean sending;
    /** That write has been in flight past the send timeout. */
    public volatile boolean stalled;
    /** Closed because of it, by {@link #closeIfStalled()}. */
    public volatile boolean closedStalled;
    /**
     * While set, what is offered stays queued, as for a reader on a slow link: {@link #queuedChars()} counts
     * it, and an offer past the bound fails (the connection is closed with 4008).
     */
    public volatile long queueBoundChars;
    private final AtomicLong queued = new AtomicLong();

    @Override
    public boolean offer(EncodedFrame frame) {
        if (closeCode != null || frames.size() >= capacity) {
            return false;
        }
        if (queueBoundChars > 0 && queued.addAndGet(frame.json().length()) > queueBoundChars) {
            queued.addAndGet(-frame.json().length());
            return false;
        }
        frames.add(frame.json());
        return true;
    }

    @Override
    public void close(int code, String reason) {
        if (closeCode == null) {
            closeCode = code;
            closeReason = reason;
        }
    }

    @Override
    public void abort(int code, String reason) {
        close(code, reason);
    }

    @Override
    public long queuedChars() {
        return queued.get();
    }

    /** The slow reader has this many characters still to read (the frames it was sent stay recorded). */
    public void holdQueued(long chars) {
        queued.set(chars);
    }

    /** The slow reader has read everything queued so far. */
    public void read() {
        queued.set(0);
    }

    @Override
    public long sendingMillis() {
        return sending ? 1 : 0;
    }

    @Override
    public boolean closeIfStalled() {
        if (!sending || !stalled) {
            return false;
        }
        sending = false;
        closedStalled = true;
        return true;
    }

    public List<JsonObject> json() {
        return frames.stream().map(RecordingOutbound::parse).toList();
    }

    public List<JsonObject> ofType(String type) {
        return json().stream().filter(f -> type.equals(f.getString("type"))).toList();
    }

    public JsonObject last() {
        return parse(frames.get(frames.size() - 1));
    }

    /** The last frame that answers the request with this ref. */
    public JsonObject reply(String ref) {
        return json().stream().filter(f -> ref.equals(f.getString("ref", null))).reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no reply to " + ref + " in " + frames));
    }

    public void clear() {
        frames.clear();
    }

    /** Looked up once: {@code Json.createReader} looks the provider up again on every call. */
    private static JsonObject parse(String frame) {
        try (JsonReader reader = JSON.createReader(new StringReader(frame))) {
            return reader.readObject();
        }
    }

    static {
        Frames.jsonb(); // fail early if no JSON-B implementation is on the test class path
    }
}
