package dev.parley.admin;

import dev.parley.chat.ChatService;
import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.NodeEvent;
import dev.parley.config.Limits;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limits in force on this node: the configured ones, with the ones an operator changed at runtime over them.
 * The changes are stored, so that they outlast a restart and hold on a node that starts later, and every node
 * reads them again when the bus says they changed and at each of its re-reads: nodes whose admins changed one
 * limit at once end with the same value, the one stored last. One per node.
 */
public final class OperatorLimits {

    static final String FRAMES_PER_SECOND = "framesPerSecond";
    static final String FRAME_BURST = "frameBurst";
    static final String MAX_FRAME_BYTES = "maxFrameBytes";
    static final String MAX_TEXT_CHARS = "maxTextChars";

    private final LimitStore store;
    private final Limits configured;
    private final ChatService chat;
    private final ClusterBus bus;
    /** Reads begun, numbered: a read may end after one begun later, and must not put back what it read. */
    private final AtomicLong reads = new AtomicLong();
    /** The number of the read whose limits are in force. Guarded by this. */
    private long inForce;

    public OperatorLimits(LimitStore store, Limits configured, ChatService chat, ClusterBus bus) {
        this.store = store;
        this.configured = configured;
        this.chat = chat;
        this.bus = bus;
    }

    /** Stores the given limits (null keeps one), then every node reads them; returns this node's limits now. */
    public Limits change(Integer framesPerSecond, Integer frameBurst, Integer maxFrameBytes, Integer maxTextChars) {
        Map<String, Integer> given = new LinkedHashMap<>();
        putGiven(given, FRAMES_PER_SECOND, framesPerSecond);
        putGiven(given, FRAME_BURST, frameBurst);
        putGiven(given, MAX_FRAME_BYTES, maxFrameBytes);
        putGiven(given, MAX_TEXT_CHARS, maxTextChars);
        store.change(given);
        return readEverywhere();
    }

    /** Forgets every change, on every node: each runs its configured limits again, which it returns here. */
    public Limits reset() {
        store.reset();
        return readEverywhere();
    }

    private Limits readEverywhere() {
        Limits now = reload();
        bus.publish(new NodeEvent.LimitsChanged());
        return now;
    }

    /** Reads the stored changes and puts them in force over the configured limits; returns the limits now. */
    public Limits reload() {
        long read = reads.incrementAndGet();
        Map<String, Integer> changed = store.changed();
        Limits limits = configured.with(changed.get(FRAMES_PER_SECOND), changed.get(FRAME_BURST),
                changed.get(MAX_FRAME_BYTES), changed.get(MAX_TEXT_CHARS));
        synchronized (this) {
            if (read > inForce) {
                inForce = read;
                chat.useLimits(limits);
            }
            return chat.limits();
        }
    }

    private static void putGiven(Map<String, Integer> limits, String name, Integer value) {
        if (value != null) {
            limits.put(name, value);
        }
    }
}
