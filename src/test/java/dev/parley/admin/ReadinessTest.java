package dev.parley.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    /**
     * Every pooled connection taken: a borrower waits up to a minute. Readiness answers within its few seconds all
     * the same, and a probe while the question is still out asks nothing more of the pool.
     */
    @Test
    void aPoolThatGivesNoConnectionIsNoAnswerWithinSecondsAndIsAskedOnce() {
        CountDownLatch connectionFreed = new CountDownLatch(1);
        AtomicInteger asked = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool();
        Readiness readiness = new Readiness();
        readiness.executor = executor;
        readiness.database = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, arguments) -> {
                    if (!method.getName().equals("getConnection")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    asked.incrementAndGet();
                    connectionFreed.await(1, TimeUnit.MINUTES);
                    throw new SQLException("no connection was freed");
                });
        try {
            assertEquals("no answer", assertTimeoutPreemptively(Duration.ofSeconds(30), readiness::databaseState));
            assertEquals("no answer", assertTimeoutPreemptively(Duration.ofSeconds(30), readiness::databaseState));
            assertEquals(1, asked.get(), "the second probe waited for the first one's question");
            connectionFreed.countDown();
        } finally {
            executor.shutdownNow();
        }
    }

    /** A probe after the application stopped is answered, not failed with the asker's refusal. */
    @Test
    void aProbeAfterTheStopIsAnsweredNotAsked() {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        executor.shutdown();
        Readiness readiness = new Readiness();
        readiness.executor = executor;
        assertEquals("not asked", readiness.databaseState());
    }
}
