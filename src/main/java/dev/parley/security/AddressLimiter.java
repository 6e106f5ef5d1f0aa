package dev.parley.security;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps new connections per client address: at most {@code perMinute} in any 60 seconds (a sliding window,
 * so that a burst across a minute's edge does not get twice the cap). Thread-safe; addresses quiet for a
 * minute are forgotten as the map grows.
 */
public final class AddressLimiter {

    private static final long WINDOW_MILLIS = 60_000;
    private static final int PRUNE_ABOVE = 10_000;

    private final int perMinute;
    private final Map<String, ArrayDeque<Long>> recent = new ConcurrentHashMap<>();

    public AddressLimiter(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Counts a new connection from the address; false (and not counted) when it is over the cap. */
    public boolean tryOpen(String address, long nowMillis) {
        if (recent.size() > PRUNE_ABOVE) {
            recent.values().removeIf(times -> {
                synchronized (times) {
                    return times.isEmpty() || times.peekLast() <= nowMillis - WINDOW_MILLIS;
                }
            });
        }
        ArrayDeque<Long> times = recent.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst() <= nowMillis - WINDOW_MILLIS) {
                times.pollFirst();
            }
            if (times.size() >= perMinute) {
                return false;
            }
            times.addLast(nowMillis);
            return true;
        }
    }
}
