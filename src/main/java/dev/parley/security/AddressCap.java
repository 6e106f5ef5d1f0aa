package dev.parley.security;

import java.time.Clock;

/**
 * A cap on what one client address (IPv6: its /64) does in any minute, timed by one clock: an
 * {@link AddressLimiter} for callers that have no time of their own to give it.
 */
public final class AddressCap {

    private final int perMinute;
    private final AddressLimiter byAddress;
    private final Clock clock;

    public AddressCap(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.byAddress = new AddressLimiter(perMinute);
        this.clock = clock;
    }

    /** Counts one more from the address; false (and not counted) when the address had its minute's. */
    public boolean tryCount(String address) {
        return byAddress.tryOpen(address, clock.millis());
    }

    public int perMinute() {
        return perMinute;
    }
}
