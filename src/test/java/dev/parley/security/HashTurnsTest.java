package dev.parley.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** As many hashes run at once as the node has turns; one more is refused at once, without running. */
class HashTurnsTest {

    @Test
    void everyTurnRunsAtOnceAndOneMoreIsRefusedUntilATurnIsFree() throws Exception {
        int size = 3;
        HashTurns turns = new HashTurns(size);
        CountDownLatch done = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(size);
        try {
            List<CompletableFuture<Optional<Integer>>> running = IntStream.range(0, size)
                    .mapToObj(n -> CompletableFuture.supplyAsync(() -> turns.tryRun(() -> {
                        await(done);
                        return n;
                    }), threads))
                    .toList();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (turns.running() < size) {
                assertTrue(System.nanoTime() < deadline, "only " + turns.running() + " of " + size + " ran at once");
                Thread.onSpinWait();
            }

            AtomicBoolean ran = new AtomicBoolean();
            assertEquals(Optional.empty(), turns.tryRun(() -> ran.getAndSet(true)), "one more, past the turns");
            assertFalse(ran.get(), "and it did not run");

            done.countDown();
            for (int n = 0; n < size; n++) {
                assertEquals(Optional.of(n), running.get(n).get(10, TimeUnit.SECONDS));
            }
            assertEquals(0, turns.running());
            assertEquals(Optional.of("after"), turns.tryRun(() -> "after"), "a turn is free again");
        } finally {
            threads.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "the test never let the hashes end");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
