package dev.parley.room;

import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.Presence;
import dev.parley.config.Limits;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.Redelivery;
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

/**
 * The node's one registry of live connections, started with the application: it receives the cluster bus,
 * runs the heartbeat sweep (and the store's gap fills and resends, and a turn of the read markers) every second,
 * and says goodbye (1001) to every client when the node goes away.
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
    MessageStore messages;

    @Inject
    RoomStore rooms;

    @Resource
    TimerService timers;

    private LiveRooms live;
    private Redelivery redelivery;
    private ReadMarkers markers;
    private volatile long lastSweep = System.currentTimeMillis();
    private volatile boolean draining;

    @PostConstruct
    void start() {
        live = new LiveRooms(bus, presence, Clock.systemUTC());
        live.blocking(blocking);
        presence.whenNodeLeaves((room, user) -> live.announce(room, user, false));
        redelivery = Redelivery.of(messages, live, Clock.systemUTC(), limits);
        markers = new ReadMarkers(rooms::ack);
        bus.subscribe(live::deliver);
        bus.subscribeToNodeEvents(live::obey);
        timers.createIntervalTimer(SWEEP_MILLIS, SWEEP_MILLIS, new TimerConfig("heartbeat sweep", false));
    }

    @Timeout
    void sweep() {
        long now = System.currentTimeMillis();
        live.sweep(now, limits.helloTimeout().toMillis(), limits.silenceTimeout().toMillis());
        redelivery.sweep();
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

    public Redelivery redelivery() {
        return redelivery;
    }

    public ReadMarkers readMarkers() {
        return markers;
    }
}
