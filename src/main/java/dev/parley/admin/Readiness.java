package dev.parley.admin;

import dev.parley.cluster.Grid;
import dev.parley.room.RoomRegistry;
import dev.parley.store.Database;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** Ready when the database answers, the data grid runs (when clustered) and the node is not draining. */
@org.eclipse.microprofile.health.Readiness
@ApplicationScoped
public class Readiness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(Readiness.class.getName());
    private static final int VALID_SECONDS = 2;
    private static final int ANSWER_SECONDS = 3;

    @Resource(lookup = Database.JNDI_NAME)
    DataSource database;

    @Resource
    ManagedThreadFactory threads;

    /** Asks the database: a thread of the application's, where its data source is known (not the probe's). */
    ExecutorService executor;

    /** The database question under way, or the last one answered. */
    private Future<String> asked;

    @Inject
    RoomRegistry registry;

    @Inject
    Grid grid;

    /**
     * Made at deployment, where the application's names resolve: WildFly runs health checks on a management
     * thread, where looking up {@code java:app/jdbc/parley} to make this bean fails.
     */
    void madeAtStart(@Observes @Initialized(ApplicationScoped.class) Object application) {
        // One question at a time (see databaseState): one thread, and room for the next while it ends. Started
        // here: a managed thread runs with the context of the thread that made it, and a probe's has none of ours
        // (Payara: "Module __default-web-module is disabled").
        ThreadPoolExecutor asker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
                threads);
        asker.prestartAllCoreThreads();
        executor = asker;
    }

    @PreDestroy
    void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public HealthCheckResponse call() {
        Verdict verdict = verdict();
        return HealthCheckResponse.named("parley")
                .status(verdict.ready())
                .withData("database", verdict.database())
                .withData("draining", verdict.draining())
                .withData("cluster", verdict.cluster())
                .build();
    }

    /** What the probe answers, and why: the parts' states as its data shows them. */
    record Verdict(boolean ready, String database, boolean draining, String cluster) {
    }

    Verdict verdict() {
        boolean draining = registry.isDraining();
        String database = databaseState();
        Grid.State cluster = grid.state();
        return new Verdict(!draining && database.equals("up") && cluster.up(), database, draining,
                !cluster.clustered() ? "single node" : cluster.up() ? cluster.nodes() + " nodes" : "data grid down");
    }

    /**
     * The database's answer, waited for at most {@value #ANSWER_SECONDS} s: while every pooled connection is taken
     * (thousands reconnecting at once) a borrower waits up to the pool's limit (Payara's: a minute), and a probe
     * unanswered that long is one the load balancer gave up on, its thread held. One question at a time: a probe
     * that comes while one is still asked waits for that one's answer.
     */
    String databaseState() {
        Future<String> answer;
        synchronized (this) {
            if (asked == null || asked.isDone()) {
                try {
                    asked = executor.submit(this::askDatabase);
                } catch (RejectedExecutionException stopping) {
                    // The application is stopping (its asker is shut down): a probe still gets an answer.
                    return "not asked";
                }
            }
            answer = asked;
        }
        try {
            return answer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return "no answer";
        } catch (ExecutionException e) {
            LOG.log(Level.FINE, "readiness: the database check failed", e);
            return "down";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no answer";
        }
    }

    private String askDatabase() {
        try (Connection connection = database.getConnection()) {
            return connection.isValid(VALID_SECONDS) ? "up" : "not valid";
        } catch (SQLException e) {
            // The driver's words (a user name, a host) are for the log, not for an endpoint anybody may read.
            LOG.log(Level.FINE, "readiness: the database is down", e);
            return "down";
        }
    }
}
