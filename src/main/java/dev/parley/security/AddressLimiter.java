package dev.parley.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps what a client address does, new connections say: at most {@code perMinute} in any 60 seconds (a sliding
 * window, so that a burst across a minute's edge does not get twice the cap), per address or per address and
 * thing (a room). An IPv6 address counts for its /64 network, which one host or household has whole: stepping
 * through it would pass the cap otherwise. Thread-safe; addresses quiet for a minute are forgotten as the map
 * grows, at most once a second, since forgetting reads the whole map.
 */
public final class AddressLimiter {

    private static final long WINDOW_MILLIS = 60_000;
    static final int PRUNE_ABOVE = 10_000;
    static final long PRUNE_EVERY_MILLIS = 1_000;

    private final int perMinute;
    private final Map<String, ArrayDeque<Long>> recent = new ConcurrentHashMap<>();
    private final AtomicLong nextPrune = new AtomicLong(Long.MIN_VALUE);

    public AddressLimiter(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Counts a new connection from the address; false (and not counted) when it is over the cap. */
    public boolean tryOpen(String address, long nowMillis) {
        return tryCount(counted(address), nowMillis);
    }

    /** Counts one more of what the address does to the thing; false (and not counted) when over the cap. */
    public boolean tryOpen(String address, String thing, long nowMillis) {
        return tryCount(counted(address) + "\n" + thing, nowMillis);
    }

    private boolean tryCount(String key, long nowMillis) {
        pruneIfDue(nowMillis);
        ArrayDeque<Long> times = recent.computeIfAbsent(key, k -> new ArrayDeque<>());
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

    /** The addresses (IPv6: networks) counted now. */
    int tracked() {
        return recent.size();
    }

    private void pruneIfDue(long nowMillis) {
        long due = nextPrune.get();
        if (recent.size() <= PRUNE_ABOVE || nowMillis < due
                || !nextPrune.compareAndSet(due, nowMillis + PRUNE_EVERY_MILLIS)) {
            return;
        }
        recent.values().removeIf(times -> {
            synchronized (times) {
                return times.isEmpty() || times.peekLast() <= nowMillis - WINDOW_MILLIS;
            }
        });
    }

    /** What an address is counted as: an IPv4 address itself, an IPv6 address its /64 network. */
    static String counted(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address == null ? "" : address;
        }
        char first = address.charAt(0);
        if (Character.digit(first, 16) < 0 && first != ':' && first != '[') {
            return address; // not an IPv6 literal, which InetAddress would look up as a host name
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            return bytes.length == 16 ? HexFormat.of().formatHex(bytes, 0, 8) + "::/64"
                    : InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
