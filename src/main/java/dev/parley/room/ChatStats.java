package dev.parley.room;

import dev.parley.protocol.CloseCodes;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * What the node has done since it started, counted where it happens and read by the metrics endpoint. Plain
 * counters, so that the chat core needs no metrics library and its tests none either.
 */
public final class ChatStats {

    /** Where durations go: a metrics library's timers in the application, nowhere in plain tests. */
    public interface Timings {
        Timings NONE = new Timings() {
            @Override
            public void commit(long nanos) {
            }

            @Override
            public void delivery(long nanos) {
            }

            @Override
            public void batch(int messages, long nanos) {
            }
        };

        /** A message's way to being stored: from its send to its commit, the wait for its group commit included. */
        void commit(long nanos);

        /** From a {@code send} read to its message queued for every recipient on this node. */
        void delivery(long nanos);

        /**
         * One group commit: how many messages its transaction stored (or refused) and how long it took. Their
         * sum over a minute, against the minute, is how busy the commit loop is: near all of it, and receipts
         * wait for the loop rather than for their own transaction.
         */
        void batch(int messages, long nanos);
    }

    private volatile Timings timings = Timings.NONE;

    private final LongAdder stored = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final LongAdder resends = new LongAdder();
    private final LongAdder missedLive = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder refusedBusy = new LongAdder();
    private final LongAdder storeFailures = new LongAdder();
    private final LongAdder opened = new LongAdder();
    /** The known codes' counts, made up front: a client chooses its close code, and may choose any. */
    private final Map<Integer, LongAdder> closedByCode = CloseCodes.COUNTED.stream()
            .collect(Collectors.toUnmodifiableMap(code -> code, code -> new LongAdder()));
    private final LongAdder closedOtherwise = new LongAdder();

    public void timings(Timings timings) {
        this.timings = timings;
    }

    public void stored() {
        stored.increment();
    }

    public void committed(long nanos) {
        timings.commit(nanos);
    }

    public void batchStored(int messages, long nanos) {
        timings.batch(messages, nanos);
    }

    public void deliveredAfter(long nanos) {
        timings.delivery(nanos);
    }

    public void delivered(int connections) {
        delivered.add(connections);
    }

    public void replayed(int messages) {
        replayed.add(messages);
    }

    public void resent() {
        resends.increment();
    }

    /** A connection had not got a room's newest message live a tip check after it was stored. */
    public void missedLive() {
        missedLive.increment();
    }

    public void rateLimited() {
        rateLimited.increment();
    }

    public void opened() {
        opened.increment();
    }

    /** Counted under its code when it is one of {@link CloseCodes#COUNTED}, as "other" otherwise. */
    public void closed(int code) {
        closedByCode.getOrDefault(code, closedOtherwise).increment();
    }

    public long storedCount() {
        return stored.sum();
    }

    public long deliveredCount() {
        return delivered.sum();
    }

    public long replayedCount() {
        return replayed.sum();
    }

    public long resendCount() {
        return resends.sum();
    }

    public long missedLiveCount() {
        return missedLive.sum();
    }

    /** A send or tip refused because too many messages wait to be stored (the node's bound, not the sender's). */
    public void refusedBusy() {
        refusedBusy.increment();
    }

    public long refusedBusyCount() {
        return refusedBusy.sum();
    }

    /** A message the store failed to store (its sender was answered {@code internal} and sends it again). */
    public void storeFailed() {
        storeFailures.increment();
    }

    public long storeFailedCount() {
        return storeFailures.sum();
    }

    public long rateLimitedCount() {
        return rateLimited.sum();
    }

    public long openedCount() {
        return opened.sum();
    }

    /** @param code one of {@link CloseCodes#COUNTED}: the others are {@link #closedOtherwiseCount} */
    public long closedCount(int code) {
        LongAdder count = closedByCode.get(code);
        if (count == null) {
            throw new IllegalArgumentException(code + " is not counted alone: see closedOtherwiseCount");
        }
        return count.sum();
    }

    /** Closes with a code not in {@link CloseCodes#COUNTED} (a client's own, or none: 1005). */
    public long closedOtherwiseCount() {
        return closedOtherwise.sum();
    }
}
