package dev.parley.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.parley.cluster.Grid;
import dev.parley.room.RoomRegistry;
import java.lang.reflect.Proxy;
import java.sql.Connection;
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

    /**
     * Ready only with every part: the database answering, the data grid running when the node is clustered, and
     * the node not going away; the probe's data says which part is not.
     */
    @Test
    void readyWhenTheDatabaseAnswersTheGridRunsAndTheNodeStays() {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        Grid.State alone = new Grid.State(false, true, 1);
        try {
            assertEquals("UP database=up cluster=single node draining=false", probe(executor, true, false, alone));
            assertEquals("UP database=up cluster=3 nodes draining=false",
                    probe(executor, true, false, new Grid.State(true, true, 3)));
            assertEquals("DOWN database=up cluster=data grid down draining=false",
                    probe(executor, true, false, new Grid.State(true, false, 0)));
            assertEquals("DOWN database=up cluster=single node draining=true", probe(executor, true, true, alone));
            assertEquals("DOWN database=not valid cluster=single node draining=false",
                    probe(executor, false, false, alone));
        } finally {
            executor.shutdownNow();
        }
    }

    /** One probe of a node whose database's connections are valid or not, which drains or not, on that grid. */
    private static String probe(ExecutorService executor, boolean valid, boolean draining, Grid.State grid) {
        Connection connection = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "isValid" -> valid;
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        Readiness readiness = new Readiness();
        readiness.executor = executor;
        readiness.database = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, arguments) -> connection);
        readiness.registry = new RoomRegistry() {
            @Override
            public boolean isDraining() {
                return draining;
            }
        };
        readiness.grid = new Grid() {
            @Override
            public State state() {
                return grid;
            }
        };
        Readiness.Verdict verdict = readiness.verdict();
        return (verdict.ready() ? "UP" : "DOWN") + " database=" + verdict.database() + " cluster=" + verdict.cluster()
                + " draining=" + verdict.draining();
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
