package dev.parley.room;

/**
 * A token bucket: {@code burst} frames at once, then {@code perSecond} on average. Not thread-safe: each
 * connection has its own, used only by the thread that reads that connection's frames.
 */
public final class TokenBucket {

    private final double perMilli;
    private final double capacity;
    private double tokens;
    private long last;

    public TokenBucket(double perSecond, int burst, long nowMillis) {
        this.perMilli = perSecond / 1000.0;
        this.capacity = burst;
        this.tokens = burst;
        this.last = nowMillis;
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long nowMillis) {
        if (nowMillis > last) {
            tokens = Math.min(capacity, tokens + (nowMillis - last) * perMilli);
            last = nowMillis;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
