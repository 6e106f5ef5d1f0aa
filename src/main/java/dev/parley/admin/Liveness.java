package dev.parley.admin;

import dev.parley.room.RoomRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Alive while the sweep runs: it is what closes dead peers and stuck writers every second, so a node whose
 * sweep stopped would fill up with them.
 */
@org.eclipse.microprofile.health.Liveness
@ApplicationScoped
public class Liveness implements HealthCheck {

    private static final long STALE_MILLIS = 10_000;

    @Inject
    RoomRegistry registry;

    @Override
    public HealthCheckResponse call() {
        long age = System.currentTimeMillis() - registry.lastSweep();
        return HealthCheckResponse.named("parley-sweep")
                .status(age < STALE_MILLIS)
                .withData("lastSweepMillisAgo", age)
                .build();
    }
}
