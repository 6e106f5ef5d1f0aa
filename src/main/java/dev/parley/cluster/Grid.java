package dev.parley.cluster;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Chooses how the node reaches the others: the Hazelcast instance that Payara runs, when there is one
 * (Payara with its data grid on), or nothing, and then the node is a chat of its own (WildFly, Payara with
 * {@code --nohazelcast}). No second grid, no protocol of our own between nodes.
 */
@ApplicationScoped
public class Grid {

    /** This process as the admins' connection list names it ({@code pid@host}): one per node of a cluster. */
    public static final String NODE = ManagementFactory.getRuntimeMXBean().getName();

    private static final Logger LOG = Logger.getLogger(Grid.class.getName());

    @Resource
    ManagedExecutorService executor;

    private ClusterBus bus;
    private Presence presence;
    private Optional<HazelcastGrid> hazelcast;

    @PostConstruct
    void connect() {
        try {
            hazelcast = HazelcastGrid.find();
        } catch (LinkageError noHazelcastClasses) {
            hazelcast = Optional.empty();
        }
        if (hazelcast.isPresent()) {
            bus = hazelcast.get().bus();
            presence = hazelcast.get().presence(NODE, executor);
            LOG.info(() -> "clustered on Payara's data grid: " + hazelcast.get().members() + " nodes");
        } else {
            bus = new InMemoryClusterBus();
            presence = new LocalPresence();
            LOG.info("no data grid: this node is a chat of its own");
        }
    }

    /** Payara's grid outlives the application (a redeploy): this copy stops listening to it. */
    @PreDestroy
    void disconnect() {
        bus.close();
        presence.close();
    }

    @Produces
    public ClusterBus bus() {
        return bus;
    }

    @Produces
    public Presence presence() {
        return presence;
    }

    /** For readiness: whether the node can reach the cluster, and how many nodes it sees. */
    public State state() {
        return hazelcast.map(Grid::stateOf).orElse(new State(false, true, 1));
    }

    /** A stopped instance throws at every call: its members are not asked (readiness would answer 500). */
    static State stateOf(HazelcastGrid grid) {
        return grid.isRunning() ? new State(true, true, grid.members()) : new State(true, false, 0);
    }

    public record State(boolean clustered, boolean up, int nodes) {
    }

    /** What is needed of the grid, in a class of its own: without Hazelcast classes it is never loaded. */
    record HazelcastGrid(com.hazelcast.core.HazelcastInstance instance) {

        static final String JNDI_NAME = "payara/Hazelcast";

        static Optional<HazelcastGrid> find() {
            try {
                Object found = new javax.naming.InitialContext().lookup(JNDI_NAME);
                if (found instanceof com.hazelcast.core.HazelcastInstance instance
                        && instance.getLifecycleService().isRunning()) {
                    return Optional.of(new HazelcastGrid(instance));
                }
            } catch (javax.naming.NamingException | RuntimeException | LinkageError e) {
                LOG.log(Level.FINE, "no Hazelcast instance at " + JNDI_NAME, e);
            }
            return Optional.empty();
        }

        ClusterBus bus() {
            return new HazelcastClusterBus(instance);
        }

        Presence presence(String nodeName, java.util.concurrent.Executor executor) {
            return new HazelcastPresence(instance, nodeName, executor);
        }

        boolean isRunning() {
            return instance.getLifecycleService().isRunning();
        }

        int members() {
            return instance.getCluster().getMembers().size();
        }
    }
}
