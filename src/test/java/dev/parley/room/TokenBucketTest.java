package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

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
}
