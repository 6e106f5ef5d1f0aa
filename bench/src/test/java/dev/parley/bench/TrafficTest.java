package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrafficTest {

    @Test
    void sendersFirstPostSpreadEvenlyOverOnePeriod() {
        long period = 100_000; // 10 msg/s
        long[] first = IntStream.range(0, 40).mapToLong(s -> Traffic.firstSendMicros(s, 40, period)).toArray();
        assertEquals(period, first[0]);
        for (int s = 1; s < first.length; s++) {
            assertEquals(period / 40, first[s] - first[s - 1], "gap before sender " + s);
        }
        assertTrue(first[first.length - 1] < 2 * period, "the last sender starts within the second period");
    }
}
