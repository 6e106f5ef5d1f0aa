package dev.parley.admin;

import dev.parley.chat.ChatService;
import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.NodeEvent;
import dev.parley.config.Settings;
import dev.parley.security.Blocks;
import dev.parley.security.Sanctions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's slow chores, on EJB timers that are not persistent (every node runs its own): picking up the
 * mutes, bans, blocks and runtime limits changed on other nodes (also at once when the bus says so), and the
 * message retention.
 * A failed run (the database away) is logged and tried again at the next tick.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
// No container transaction around the chores: the stores begin their own, short ones (a purge is many).
@TransactionManagement(TransactionManagementType.BEAN)
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class.getName());
    private static final String REREAD = "re-read";
    private static final String RETENTION = "retention";

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

    @Inject
    ClusterBus bus;

    @Resource
    TimerService timers;

    @Resource
    ManagedExecutorService executor;

    @Resource
    ContextService contexts;

    /** A re-read is queued: changes made meanwhile are read by it too. */
    private final AtomicBoolean rereadQueued = new AtomicBoolean();

    /**
     * The re-read in the application's context, captured at start: the bus may call on a thread of the data
     * grid, which has none, and the executor's tasks take the submitter's context.
     */
    private Runnable reread;

    /**
     * Mutes, bans, blocks and limits changed on other nodes: read again when the bus says one changed, and every
     * {@code parley.moderation.reread.seconds} (10) in case such a word was lost (a node that joined late, the
     * grid briefly down). A ban closes its user's connections here, and so does a new password (with 4501) those
     * of the tokens it ended.
     */
    private void refresh() {
        try {
            sanctions.reload();
            chat.reloadMutes();
            blocks.reload();
            admin.enforceBans();
            admin.enforceSignOuts();
            admin.reloadLimits();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not read the mutes, bans, blocks, token generations and limits; trying "
                    + "again at the next re-read", e);
        }
    }

    @PostConstruct
    void start() {
        reread = contexts.createContextualProxy((Runnable) () -> {
            rereadQueued.set(false);
            refresh();
        }, Runnable.class);
        bus.subscribeToNodeEvents(this::obey);
        long every = settings.moderationReread().toMillis();
        timers.createIntervalTimer(every, every, new TimerConfig(REREAD, false));
        scheduleRetention();
    }

    @Timeout
    void tick(Timer timer) {
        if (REREAD.equals(timer.getInfo())) {
            refresh();
        } else {
            retention();
        }
    }

    /** A re-read runs off the bus's thread: it waits for the database. */
    private void obey(NodeEvent event) {
        if ((event instanceof NodeEvent.ModerationChanged || event instanceof NodeEvent.LimitsChanged)
                && rereadQueued.compareAndSet(false, true)) {
            queueReread();
        }
    }

    /**
     * An executor that refuses the task (the application stopping) must not leave the flag set: no word of the
     * bus would queue a re-read again, and the change would wait for the timer's. Nor may the refusal reach the
     * bus's publisher, whose change is stored already.
     */
    private void queueReread() {
        try {
            executor.execute(reread);
        } catch (RejectedExecutionException refused) {
            rereadQueued.set(false);
            LOG.log(Level.WARNING, "could not queue a re-read; the next timed one reads the change",
                    refused);
        }
    }

    /** Every {@code parley.retention.check.seconds} (an hour), from a minute after start, when retention is on. */
    private void scheduleRetention() {
        if (settings.retentionDays().isPresent()) {
            long every = settings.retentionCheck().toMillis();
            timers.createIntervalTimer(Math.min(every, 60_000), every, new TimerConfig(RETENTION, false));
        }
    }

    /** Purging in batches of short transactions never holds writers up for long. */
    private void retention() {
        settings.retentionDays().ifPresent(days -> {
            try {
                admin.purge(days, AdminService.RETENTION);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the retention purge failed; trying again at the next run", e);
            }
        });
    }
}
