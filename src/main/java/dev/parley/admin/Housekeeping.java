package dev.parley.admin;

import dev.parley.config.Settings;
import dev.parley.security.Sanctions;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's slow chores, on EJB timers that are not persistent (every node runs its own): picking up the
 * mutes and bans made on other nodes, and the message retention. A failed run (the database away) is logged
 * and tried again at the next tick.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class.getName());

    @Inject
    Sanctions sanctions;

    @Inject
    AdminService admin;

    @Inject
    Settings settings;

    /** A ban made on another node closes its user's connections here within these ten seconds. */
    @Schedule(hour = "*", minute = "*", second = "*/10", persistent = false, info = "sanctions")
    void refreshSanctions() {
        try {
            sanctions.reload();
            admin.enforceBans();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not read the mutes and bans; trying again in 10 s", e);
        }
    }

    /** Hourly, so that a node that was down at the hour catches up soon; purging in batches never blocks. */
    @Schedule(hour = "*", minute = "7", persistent = false, info = "retention")
    void retention() {
        settings.retentionDays().ifPresent(days -> {
            try {
                admin.purge(days, AdminService.RETENTION);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the retention purge failed; trying again in an hour", e);
            }
        });
    }
}
