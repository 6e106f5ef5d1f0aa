package dev.parley.admin;

import dev.parley.chat.ChatService;
import dev.parley.config.Settings;
import dev.parley.security.Blocks;
import dev.parley.security.Sanctions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
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
// No container transaction around the chores: the stores begin their own, short ones (a purge is many).
@TransactionManagement(TransactionManagementType.BEAN)
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class.getName());

    @Inject
    Sanctions sanctions;

    @Inject
    Blocks blocks;

    @Inject
    AdminService admin;

    @Inject
    ChatService chat;

    @Inject
    Settings settings;

    @Resource
    TimerService timers;

    /** Mutes, bans and blocks made on other nodes: a ban closes its user's connections here within ten seconds. */
    @Schedule(hour = "*", minute = "*", second = "*/10", persistent = false, info = "sanctions")
    void refreshSanctions() {
        try {
            sanctions.reload();
            chat.reloadMutes();
            blocks.reload();
            admin.enforceBans();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not read the mutes and bans; trying again in 10 s", e);
        }
    }

    /** Every {@code parley.retention.check.seconds} (an hour), from a minute after start, when retention is on. */
    @PostConstruct
    void scheduleRetention() {
        if (settings.retentionDays().isPresent()) {
            long every = settings.retentionCheck().toMillis();
            timers.createIntervalTimer(Math.min(every, 60_000), every, new TimerConfig("retention", false));
        }
    }

    /** Purging in batches of short transactions never holds writers up for long. */
    @Timeout
    void retention() {
        settings.retentionDays().ifPresent(days -> {
            try {
                admin.purge(days, AdminService.RETENTION);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the retention purge failed; trying again at the next run", e);
            }
        });
    }
}
