package dev.parley.room;

import dev.parley.cluster.ClusterBus;
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
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The node's one registry of live connections, started with the application: it receives the cluster bus,
 * runs the heartbeat sweep (and what else is to run with it, see {@link #everySweep}, and a turn of the read
 * markers) every second, and says goodbye (1001) to every client when the node goes away.
 * Bean-managed concurrency: {@link LiveRooms} is thread-safe, and a container lock would serialize the node.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class RoomRegistry {

    private static final long SWEEP_MILLIS = 1000;

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

    private LiveRooms live;
    /** Run by the sweep after the heartbeats, in the order given. */
    private final List<Runnable> sweepTasks = new CopyOnWriteArrayList<>();
    private ReadMarkers markers;
    private volatile long lastSweep = System.currentTimeMillis();
    private volatile boolean draining;

    @PostConstruct
    void start() {
        live = new LiveRooms(bus, presence, Clock.systemUTC());
        live.blocking(blocking);
        presence.whenNodeLeaves((room, user) -> live.announce(room, user, false));
        markers = new ReadMarkers(rooms::ack);
        bus.subscribe(live::deliver);
        bus.subscribeToNodeEvents(live::obey);
        timers.createIntervalTimer(SWEEP_MILLIS, SWEEP_MILLIS, new TimerConfig("heartbeat sweep", false));
    }

    @Timeout
    void sweep() {
        long now = System.currentTimeMillis();
        live.sweep(now, limits.helloTimeout().toMillis(), limits.silenceTimeout().toMillis());
        sweepTasks.forEach(Runnable::run);
        markers.flushTurn();
        lastSweep = now;
    }

    /** When the sweep last finished: a node whose sweep stopped no longer closes dead or stuck connections. */
    public long lastSweep() {
        return lastSweep;
    }

    /** Whether the node is going away: readiness says so first, so that a load balancer stops sending. */
    public boolean isDraining() {
        return draining;
    }

    @PreDestroy
    void stop() {
        draining = true;
        for (Connection connection : List.copyOf(live.connections())) {
            connection.close(CloseCodes.GOING_AWAY, "server going away");
        }
        markers.flush();
    }

    public LiveRooms live() {
        return live;
    }

    /**
     * Work to run every second after the heartbeats, on the sweep's thread: the chat's assembly hands over
     * the store's gap fills and resends ({@code Redelivery}, which reads the messages, which this package
     * does not know). A task that may wait, on the database say, passes its work to a thread of its own:
     * the heartbeats and the liveness check wait for whatever runs here.
     */
    public void everySweep(Runnable task) {
        sweepTasks.add(task);
    }

    public ReadMarkers readMarkers() {
        return markers;
    }
}
