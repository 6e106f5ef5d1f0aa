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

    @Test
    void onceStoppedTheCallerWritesItself() {
        WriterLanes lanes = new WriterLanes(1, Thread::new);
        lanes.stop();
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        lanes.next().execute(() -> ranOn.add(Thread.currentThread()));
        assertEquals(List.of(Thread.currentThread()), ranOn);
    }
}
