package dev.parley.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddressLimiterTest {

    @Test
    void anAddressGetsItsCapInAnySixtySeconds() {
        AddressLimiter limiter = new AddressLimiter(3);
        assertTrue(limiter.tryOpen("10.0.0.1", 0));
        assertTrue(limiter.tryOpen("10.0.0.1", 59_000));
        assertTrue(limiter.tryOpen("10.0.0.1", 59_500), "at the cap");
        assertFalse(limiter.tryOpen("10.0.0.1", 59_900), "past it");
        assertTrue(limiter.tryOpen("10.0.0.2", 59_900), "other addresses have their own");
        assertFalse(limiter.tryOpen("10.0.0.1", 60_000 - 1), "the first is 60 s old only at 60,000");
        assertTrue(limiter.tryOpen("10.0.0.1", 60_000), "the first one left the window");
        assertFalse(limiter.tryOpen("10.0.0.1", 60_001), "a refusal is not counted, the cap still holds");
        assertTrue(limiter.tryOpen("10.0.0.1", 119_000));
    }

    @Test
    void anIpv6AddressCountsForItsSlash64() {
        AddressLimiter limiter = new AddressLimiter(2);
        assertTrue(limiter.tryOpen("2001:db8:1:2::1", 0));
        assertTrue(limiter.tryOpen("2001:db8:1:2:ffff:ffff:ffff:ffff", 0), "the same /64: the cap");
        assertFalse(limiter.tryOpen("2001:db8:1:2:0:0:0:3", 0), "another address of the same /64, past it");
        assertTrue(limiter.tryOpen("2001:db8:1:3::1", 0), "the next /64 is another network");
        assertEquals("20010db800010002::/64", AddressLimiter.counted("[2001:db8:1:2::9]"));
        assertEquals("10.0.0.1", AddressLimiter.counted("::ffff:10.0.0.1"), "an IPv4 address written as IPv6");
        assertEquals("10.0.0.1", AddressLimiter.counted("10.0.0.1"));
    }

    /** Forgetting quiet addresses reads the whole map: past 10,000 addresses, once a second at most. */
    @Test
    void quietAddressesAreForgottenAtMostOnceASecond() {
        AddressLimiter limiter = new AddressLimiter(1);
        fill(limiter, "a", 0);
        assertEquals(AddressLimiter.PRUNE_ABOVE + 1, limiter.tracked());
        limiter.tryOpen("10.1.0.1", 60_000);
        assertEquals(1, limiter.tracked(), "a minute later, only the newest is left");

        fill(limiter, "b", 100);
        limiter.tryOpen("10.1.0.2", 60_000 + AddressLimiter.PRUNE_EVERY_MILLIS - 1);
        assertEquals(AddressLimiter.PRUNE_ABOVE + 3, limiter.tracked(), "a millisecond short of a second: all kept");
        limiter.tryOpen("10.1.0.3", 60_000 + AddressLimiter.PRUNE_EVERY_MILLIS);
        assertEquals(3, limiter.tracked(), "a second after the last");
    }

    /** One more than the map holds before it forgets, each an address of its own. */
    private static void fill(AddressLimiter limiter, String prefix, long at) {
        for (int i = 0; i <= AddressLimiter.PRUNE_ABOVE; i++) {
            assertTrue(limiter.tryOpen(prefix + "-" + i, at));
        }
    }
}
