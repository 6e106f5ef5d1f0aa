package dev.parley.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A run's sends until the server answers them, and the deliveries they make expected: each send is expected once
 * per member of its room, unless the server refuses it (an error frame with the send's ref), which nobody then gets.
 * A receipt or a refusal settles a send once; a second answer, or one for another run's message, counts for nothing.
 */
final class InFlight {

    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder expected = new LongAdder();

    void sent(String clientMsgId, long nanos, int members) {
        sentAt.put(clientMsgId, nanos);
        sent.increment();
        expected.add(members);
    }

    /** @return when the message was sent, or null when it was settled already or is not this run's */
    Long receipt(String clientMsgId) {
        return sentAt.remove(clientMsgId);
    }

    /** The send of {@code ref} (null when the error answered no send) was refused, in a room of that many. */
    void refused(String ref, int members) {
        if (ref != null && sentAt.remove(ref) != null) {
            refused.increment();
            expected.add(-members);
        }
    }

    /** Sends neither receipted nor refused yet. */
    int unanswered() {
        return sentAt.size();
    }

    long sent() {
        return sent.sum();
    }

    long refused() {
        return refused.sum();
    }

    /** Deliveries the sends not refused make expected. */
    long expected() {
        return expected.sum();
    }
}
