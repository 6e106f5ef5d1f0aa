package dev.parley.room;

import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.NodeEvent;
import dev.parley.cluster.Presence;
import dev.parley.config.Limits;
import dev.parley.protocol.CloseCodes;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's one registry of live connections, started with the application: it receives the cluster bus,
 * runs the heartbeat sweep every second and hands the store turn (see {@link #everyStoreTurn}, then a turn of the
 * read markers) to a thread of its own, and says goodbye (1001) to every client when the node goes away.
 * Bean-managed concurrency: {@link LiveRooms} is thread-safe, and a container lock would serialize the node.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class RoomRegistry {

    private static final Logger LOG = Logger.getLogger(RoomRegistry.class.getName());
    private static final long SWEEP_MILLIS = 1000;
    static final int PRESENCE_WORK_QUEUED = 10_000;

    @Inject
    ClusterBus bus;

    @Inject
    Presence presence;

    @Inject
    Blocking blocking;

    @Inject
    Limits limits;

    @Inject
    RoomStore rooms;

    @Resource
    TimerService timers;

    @Resource
    ManagedThreadFactory threads;

    private LiveRooms live;
    /** Run by the store turn before the read markers, in the order given. */
    private final List<Runnable> storeTurnTasks = new CopyOnWriteArrayList<>();
    /**
     * Runs the sweep's work on the database each second after the heartbeats (see {@link #storeTurn}): on a
     * thread of its own, because while thousands of connections join at once that work waits seconds for a
     * pooled connection (20 s in the benchmark's connecting, performance.md item 30), and the heartbeats
     * must not wait with it. A turn handed over while the last one still goes is dropped.
     */
    private ThreadPoolExecutor storeTurns;
    /**
     * The presence work of the bus's events, in their order, off the grid's delivering thread (see
     * {@link LiveRooms}). While its queue is full the bus's thread waits for room in it, as it waited for the
     * grid before: nothing is dropped or reordered. Dropped when the node stops.
     */
    private ThreadPoolExecutor presenceWork;
    private ReadMarkers markers;
    /** On the monotonic clock: a step of the wall clock (NTP) must not make the node look dead to liveness. */
    private volatile long lastSweepNanos = System.nanoTime();
    private volatile long lastStoreTurnNanos = System.nanoTime();
    private volatile boolean draining;

    @PostConstruct
    void start() {
        presenceWork = presenceWork(threads);
        // Made here, not by the first event: a managed thread runs with the context of the thread that made it, and
        // the grid's threads have none of the application's (Readiness met it on a health probe's thread).
        presenceWork.prestartAllCoreThreads();
        live = new LiveRooms(bus, presence, Clocks.NODE, task -> presenceWork.execute(() -> reported(task)));
        live.blocking(blocking);
        presence.whenNodeLeaves((room, user) -> live.announce(room, user, false));
        markers = new ReadMarkers(rooms::ack, readings -> bus.publish(new NodeEvent.ReadUpTo(readings)));
        bus.subscribe(live::deliver);
        bus.subscribeToNodeEvents(live::obey);
        storeTurns = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>(), threads,
                new ThreadPoolExecutor.DiscardPolicy());
        storeTurns.prestartAllCoreThreads();
        timers.createIntervalTimer(SWEEP_MILLIS, SWEEP_MILLIS, new TimerConfig("heartbeat sweep", false));
    }

    @Timeout
    void sweep() {
        long now = Clocks.NODE.steady().millis();
        live.sweep(now, limits.helloTimeout().toMillis(), limits.silenceTimeout().toMillis());
        storeTurns.execute(this::storeTurn);
        lastSweepNanos = System.nanoTime();
    }

    /** The tasks of {@link #everyStoreTurn}, then a turn of the read markers; a failure waits for the next turn. */
    private void storeTurn() {
        for (Runnable task : storeTurnTasks) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a sweep task failed; it runs again in a second", e);
            }
        }
        markers.flushTurn();
        lastStoreTurnNanos = System.nanoTime();
    }

    /** Since the sweep last finished: a node whose sweep stopped no longer closes dead or stuck connections. */
    public long millisSinceSweep() {
        return (System.nanoTime() - lastSweepNanos) / 1_000_000;
    }

    /** Since the store turn last finished: its gap fills, resends and read markers wait while it is late. */
    public long millisSinceStoreTurn() {
        return (System.nanoTime() - lastStoreTurnNanos) / 1_000_000;
    }

    /** Whether the node is going away: readiness says so first, so that a load balancer stops sending. */
    public boolean isDraining() {
        return draining;
    }

    @PreDestroy
    void stop() {
        draining = true;
        for (Connection connection : List.copyOf(live.connections())) {
            // Out of the rooms' presence here, not when the close handshake ends: after an undeploy nothing
            // would, and the node stays in the cluster across a redeploy, its users shown online.
            try {
                live.close(connection);
            } catch (RuntimeException e) {
                // The grid stopping with the server: the other nodes take this one's users out when it leaves.
                LOG.info(() -> connection + " may be shown online until this node leaves the cluster: " + e);
            }
            connection.close(CloseCodes.GOING_AWAY, "server going away");
        }
        storeTurns.shutdown();
        // What is queued would run against a grid going away; the closes above told the rooms already.
        presenceWork.shutdownNow();
        markers.flush();
    }

    /** Runs a presence report; one that fails is logged, and the one thread goes on with the next, in order. */
    private static void reported(Runnable report) {
        try {
            report.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a presence report failed: the rooms may show the user as before", e);
        }
    }

    /** One thread, in order; past {@value #PRESENCE_WORK_QUEUED} tasks waiting, the caller waits for room. */
    static ThreadPoolExecutor presenceWork(ThreadFactory threads) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(PRESENCE_WORK_QUEUED),
                threads, RoomRegistry::waitForRoom);
    }

    /** A full queue's rejection: put the task in when there is room, unless the node is going away. */
    private static void waitForRoom(Runnable task, ThreadPoolExecutor pool) {
        try {
            while (!pool.isShutdown()) {
                if (pool.getQueue().offer(task, 1, TimeUnit.SECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("dropped presence work: the node is going away");
    }

    public LiveRooms live() {
        return live;
    }

    /**
     * Work to run every second on the store turn, after the heartbeats and before the read markers: the chat's
     * assembly hands over the store's gap fills and resends ({@code Redelivery}, which reads the messages,
     * which this package does not know).
     */
    public void everyStoreTurn(Runnable task) {
        storeTurnTasks.add(task);
    }

    public ReadMarkers readMarkers() {
        return markers;
    }
}
