package dev.parley.room;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * The wall clock's time when the node started, moved on by the monotonic clock since. The connections' deadlines
 * (the hello and silence timeouts, resends, the frame rate) are durations from one reading to the next: on the
 * wall clock, a step forward (NTP correcting a drift, a virtual machine resumed) closed every connection as
 * silent at once, and a step back held every deadline and rate for as long as the step. What it tells as a time
 * of day is off by the steps since the start: the times of day that are stored, listed or compared across nodes
 * are the wall clock's ({@link Clocks}).
 */
public final class SteadyClock extends Clock {

    /** The node's, as {@link Clocks#NODE} gives it: one for all that times connections, so that readings compare. */
    static final SteadyClock UTC = new SteadyClock(System.currentTimeMillis(), System::nanoTime);

    private final long startMillis;
    private final long startNanos;
    private final LongSupplier nanos;

    SteadyClock(long wallMillisAtStart, LongSupplier nanos) {
        this.startMillis = wallMillisAtStart;
        this.startNanos = nanos.getAsLong();
        this.nanos = nanos;
    }

    @Override
    public long millis() {
        return startMillis + (nanos.getAsLong() - startNanos) / 1_000_000;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only, as every clock of Parley's");
    }
}
