package dev.parley.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimitsTest {

    @Test
    void theBucketAllowsTheBurstThenTheRate() {
        TokenBucket bucket = new TokenBucket(20, 40, 0);
        for (int i = 0; i < 40; i++) {
            assertTrue(bucket.tryTake(0), "frame " + (i + 1) + " of the burst");
        }
        assertFalse(bucket.tryTake(0), "the 41st at once");
        assertFalse(bucket.tryTake(49), "a token takes 50 ms to come back");
        assertTrue(bucket.tryTake(50));
        assertFalse(bucket.tryTake(50));
        assertTrue(bucket.tryTake(10_050), "refilled");
        for (int i = 1; i < 40; i++) {
            assertTrue(bucket.tryTake(10_050));
        }
        assertFalse(bucket.tryTake(10_050), "never more than the burst");
    }

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
