package dev.parley.admin;

import dev.parley.cluster.Grid;
import dev.parley.room.RoomRegistry;
import dev.parley.store.Database;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
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

    @Resource(lookup = Database.JNDI_NAME)
    DataSource database;

    @Inject
    RoomRegistry registry;

    @Inject
    Grid grid;

    /**
     * Made at deployment, where the application's names resolve: WildFly runs health checks on a management
     * thread, where looking up {@code java:app/jdbc/parley} to make this bean fails.
     */
    void madeAtStart(@Observes @Initialized(ApplicationScoped.class) Object application) {
    }

    @Override
    public HealthCheckResponse call() {
        boolean draining = registry.isDraining();
        String database = databaseState();
        Grid.State cluster = grid.state();
        return HealthCheckResponse.named("parley")
                .status(!draining && database.equals("up") && cluster.up())
                .withData("database", database)
                .withData("draining", draining)
                .withData("cluster", !cluster.clustered() ? "single node"
                        : cluster.up() ? cluster.nodes() + " nodes" : "data grid down")
                .build();
    }

    private String databaseState() {
        try (Connection connection = database.getConnection()) {
            return connection.isValid(VALID_SECONDS) ? "up" : "not valid";
        } catch (SQLException e) {
            // The driver's words (a user name, a host) are for the log, not for an endpoint anybody may read.
            LOG.log(Level.FINE, "readiness: the database is down", e);
            return "down";
        }
    }
}
