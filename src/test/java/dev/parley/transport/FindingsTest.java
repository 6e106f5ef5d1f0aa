package dev.parley.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.parley.testing.CapturedLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A finding is logged once, however many of the first connections race to find it out. */
class FindingsTest {

    @Test
    void theSameFindingFromManyThreadsIsLoggedOnce() throws Exception {
        Logger log = Logger.getLogger(FindingsTest.class.getName());
        try (CapturedLog logged = CapturedLog.of(FindingsTest.class)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> racers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Thread racer = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    Findings.log(log, "the race test's finding", null);
                });
                racer.start();
                racers.add(racer);
            }
            start.countDown();
            for (Thread racer : racers) {
                racer.join(10_000);
                assertFalse(racer.isAlive(), "a racer hangs");
            }
            Findings.log(log, "the race test's other finding", null);
            assertEquals(List.of("the race test's finding", "the race test's other finding"),
                    logged.records().stream().map(LogRecord::getMessage).toList());
        }
    }
}
