package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RoomRegistryTest {

    /** Presence reports are not dropped when they pile up: past the bound, the reporter waits for room. */
    @Test
    void pastItsBoundPresenceWorkMakesTheReporterWaitAndLosesNothing() throws Exception {
        ThreadPoolExecutor work = RoomRegistry.presenceWork(Thread::new);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        try {
            work.execute(() -> {
                busy.countDown();
                awaitQuietly(release);
            });
            assertTrue(busy.await(10, TimeUnit.SECONDS), "the presence thread is busy, its queue empty");
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (int i = 0; i < RoomRegistry.PRESENCE_WORK_QUEUED; i++) {
                    int report = i;
                    work.execute(() -> ran.add(report));
                }
            }, "at the bound every report is queued and its reporter goes on");
            Thread reporter = new Thread(() -> work.execute(() -> ran.add(RoomRegistry.PRESENCE_WORK_QUEUED)));
            reporter.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (reporter.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            assertEquals(Thread.State.TIMED_WAITING, reporter.getState(), "past it, the reporter waits for room");
            release.countDown();
            reporter.join(TimeUnit.SECONDS.toMillis(10));
            work.shutdown();
            assertTrue(work.awaitTermination(10, TimeUnit.SECONDS));
            assertEquals(IntStream.rangeClosed(0, RoomRegistry.PRESENCE_WORK_QUEUED).boxed().toList(), ran);
        } finally {
            release.countDown();
            work.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
