package dev.parley.admin;

import dev.parley.room.RoomRegistry;
import dev.parley.transport.OutboundQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Alive while the sweep runs and no writer is stuck. The sweep closes dead peers and stalled writers every
 * second, so a node whose sweep stopped would fill up with them; a send in flight for much longer than the
 * sweep allows means writers hang where the sweep cannot free them. How late the store turn is (gap fills,
 * resends, read markers) is shown, not judged: it waits for the database, which readiness reports, and a
 * restart would not bring that back.
 */
@org.eclipse.microprofile.health.Liveness
@ApplicationScoped
public class Liveness implements HealthCheck {

    private static final long STALE_MILLIS = 10_000;
    /** Twice the time after which the sweep closes a connection whose send does not complete. */
    private static final long STUCK_SEND_MILLIS = 2 * OutboundQueue.SEND_TIMEOUT_MILLIS;

    @Inject
    RoomRegistry registry;

    @Override
    public HealthCheckResponse call() {
        long age = registry.millisSinceSweep();
        long longestSend = registry.live().longestSendMillis();
        return HealthCheckResponse.named("parley-sweep")
                .status(alive(age, longestSend))
                .withData("lastSweepMillisAgo", age)
                .withData("longestSendMillis", longestSend)
                .withData("lastStoreTurnMillisAgo", registry.millisSinceStoreTurn())
                .build();
    }

    /** The sweep ran within the last 10 s, and no send has been in flight for 20 s. */
    static boolean alive(long sinceSweepMillis, long longestSendMillis) {
        return sinceSweepMillis < STALE_MILLIS && longestSendMillis < STUCK_SEND_MILLIS;
    }
}
