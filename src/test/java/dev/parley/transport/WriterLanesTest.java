package dev.parley.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WriterLanesTest {

    @Test
    void connectionsAreGivenTheLanesInTurnAndEachLaneRunsItsTasksInOrder() throws Exception {
        WriterLanes lanes = new WriterLanes(2, Thread::new);
        try {
            Executor first = lanes.next();
            Executor second = lanes.next();
            assertNotSame(first, second);
            assertSame(first, lanes.next(), "the third connection shares the first lane");
            List<Integer> ran = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            for (int i = 0; i < 100; i++) {
                int task = i;
                first.execute(() -> ran.add(task));
            }
            first.execute(done::countDown);
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(IntStream.range(0, 100).boxed().toList(), ran);
        } finally {
            lanes.stop();
        }
    }

    /** A lane that cannot keep up holds no more than its bound: past it, whoever hands a frame over writes it. */
    @Test
    void pastItsBoundALaneLetsTheCallerWrite() throws Exception {
        WriterLanes lanes = new WriterLanes(1, Thread::new);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            Executor lane = lanes.next();
            lane.execute(() -> {
                writing.countDown();
                awaitQuietly(release);
            });
            assertTrue(writing.await(10, TimeUnit.SECONDS), "the lane is busy, its queue empty");
            Thread caller = Thread.currentThread();
            AtomicInteger onCaller = new AtomicInteger();
            Runnable write = () -> {
                if (Thread.currentThread() == caller) {
                    onCaller.incrementAndGet();
                }
            };
            for (int i = 0; i < WriterLanes.MOST_WAITING; i++) {
                lane.execute(write);
            }
            assertEquals(0, onCaller.get(), "at the bound every write waits for the lane");
            lane.execute(write);
            assertEquals(1, onCaller.get(), "past it the caller writes");
        } finally {
            release.countDown();
            lanes.stop();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void onceStoppedTheCallerWritesItself() {
        WriterLanes lanes = new WriterLanes(1, Thread::new);
        lanes.stop();
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        lanes.next().execute(() -> ranOn.add(Thread.currentThread()));
        assertEquals(List.of(Thread.currentThread()), ranOn);
    }
}
