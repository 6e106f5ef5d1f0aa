package dev.parley.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LivenessTest {

    @Test
    void aNodeIsAliveUntilItsSweepIsTenSecondsLate() {
        assertTrue(Liveness.alive(9_999, 0));
        assertFalse(Liveness.alive(10_000, 0));
    }

    @Test
    void aNodeIsAliveUntilASendHasBeenInFlightForTwentySeconds() {
        assertTrue(Liveness.alive(0, 19_999));
        assertFalse(Liveness.alive(0, 20_000));
    }
}
