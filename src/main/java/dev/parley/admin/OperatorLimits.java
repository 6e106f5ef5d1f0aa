package dev.parley.admin;

import dev.parley.chat.ChatService;
import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.NodeEvent;
import dev.parley.config.Limits;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

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

    private static final Logger LOG = Logger.getLogger(OperatorLimits.class.getName());

    /** The range of a limit an operator may change: what the API takes, and what a stored value must be in. */
    private record Range(int min, int max) {
    }

    private static final Map<String, Range> RANGES = Map.of(
            FRAMES_PER_SECOND, new Range(1, Limits.MAX_RATE),
            FRAME_BURST, new Range(1, Limits.MAX_RATE),
            MAX_FRAME_BYTES, new Range(Limits.MIN_FRAME_BYTES, Limits.MAX_FRAME_BYTES),
            MAX_TEXT_CHARS, new Range(1, Limits.MAX_TEXT_CHARS));

    private final LimitStore store;
    private final Limits configured;
    private final ChatService chat;
    private final ClusterBus bus;
    /** Reads begun, numbered: a read may end after one begun later, and must not put back what it read. */
    private final AtomicLong reads = new AtomicLong();
    /** The number of the read whose limits are in force. Guarded by this. */
    private long inForce;
    /** The stored values the last read left out: warned of when they change, not at every re-read. */
    private volatile Map<String, Integer> leftOut = Map.of();

    public OperatorLimits(LimitStore store, Limits configured, ChatService chat, ClusterBus bus) {
        this.store = store;
        this.configured = configured;
        this.chat = chat;
        this.bus = bus;
    }

    /**
     * Stores the given limits (null keeps one), then every node reads them; returns this node's limits now.
     *
     * @throws IllegalArgumentException naming the first limit out of its range; nothing is stored then
     */
    public Limits change(Integer framesPerSecond, Integer frameBurst, Integer maxFrameBytes, Integer maxTextChars) {
        Map<String, Integer> given = new LinkedHashMap<>();
        putGiven(given, FRAMES_PER_SECOND, framesPerSecond);
        putGiven(given, FRAME_BURST, frameBurst);
        putGiven(given, MAX_FRAME_BYTES, maxFrameBytes);
        putGiven(given, MAX_TEXT_CHARS, maxTextChars);
        given.forEach((name, value) -> Limits.requireWithin(name, value, RANGES.get(name).min(),
                RANGES.get(name).max()));
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

    /**
     * Reads the stored changes and puts them in force over the configured limits; returns the limits now. A stored
     * value the API would not have taken (written into the table by hand, say) is left out, with a warning.
     */
    public Limits reload() {
        long read = reads.incrementAndGet();
        Map<String, Integer> changed = usable(store.changed());
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

    private Map<String, Integer> usable(Map<String, Integer> stored) {
        Map<String, Integer> usable = new LinkedHashMap<>();
        Map<String, Integer> refused = new LinkedHashMap<>();
        stored.forEach((name, value) -> {
            Range range = RANGES.get(name);
            (range != null && value >= range.min() && value <= range.max() ? usable : refused).put(name, value);
        });
        if (!refused.equals(leftOut)) {
            leftOut = Map.copyOf(refused);
            refused.forEach((name, value) -> LOG.warning(() -> "the stored limit " + name + " = " + value
                    + (RANGES.containsKey(name) ? " is outside " + RANGES.get(name).min() + " to "
                    + RANGES.get(name).max() : " is no limit an operator may change") + ": left out, the configured"
                    + " one holds (DELETE /api/admin/limits forgets it)"));
        }
        return usable;
    }

    private static void putGiven(Map<String, Integer> limits, String name, Integer value) {
        if (value != null) {
            limits.put(name, value);
        }
    }
}
