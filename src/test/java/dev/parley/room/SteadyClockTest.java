package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SteadyClockTest {

    /** The wall clock may step; the monotonic one only moves on, and this clock with it. */
    @Test
    void itMovesOnWithTheMonotonicClockFromTheWallTimeItStartedAt() {
        AtomicLong nanos = new AtomicLong(123_456_789_000L);
        long wallAtStart = Instant.parse("2026-12-06T07:00:00Z").toEpochMilli();
        SteadyClock clock = new SteadyClock(wallAtStart, nanos::get);
        assertEquals(wallAtStart, clock.millis());

        nanos.addAndGet(1_500_000_000L);
        assertEquals(Instant.parse("2026-12-06T07:00:01.500Z"), clock.instant());
        assertEquals(wallAtStart + 1_500, clock.millis(), "a second and a half on, whatever the wall clock says");
    }
}
