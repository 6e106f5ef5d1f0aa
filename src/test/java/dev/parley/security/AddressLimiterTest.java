package dev.parley.security;

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
}
