package dev.parley.admin;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.security.AccountService;
import dev.parley.security.Sanction;
import dev.parley.security.UserNames;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** Registers {@link AdminMXBean} on the platform MBean server while the application is deployed. */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class AdminMBean {

    private static final Logger LOG = Logger.getLogger(AdminMBean.class.getName());
    public static final String OBJECT_NAME = "parley:type=Admin";
    /** JMX consoles do not tell the application who is at them: the audit log says "jmx". */
    private static final String BY = UserNames.CONSOLE;

    @Inject
    AdminService admin;

    /** JMX calls arrive on RMI threads, which carry none of the application's context (JPA fails there). */
    @Resource
    ManagedExecutorService executor;

    /**
     * The application's context for the executor's tasks, which take the submitter's: none, from an RMI thread.
     * Without it the connection pool cannot load its validator class, counts the connection as broken and
     * throws every connection of the pool away, also those other threads are using.
     */
    @Resource
    ContextService contexts;

    /** Calls work in the context captured when the proxy was made (at deployment). */
    public interface InApplication {
        Object call(Callable<?> work) throws Exception;
    }

    private ObjectName name;

    @PostConstruct
    void register() {
        try {
            name = new ObjectName(OBJECT_NAME);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) {
                server.unregisterMBean(name); // left by an earlier deployment that did not stop cleanly
            }
            InApplication context = contexts.createContextualProxy((InApplication) Callable::call,
                    InApplication.class);
            server.registerMBean(new Operations(admin, executor, context), name);
        } catch (JMException e) {
            LOG.log(Level.WARNING, "the JMX admin console is not available", e);
        }
    }

    @PreDestroy
    void unregister() {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.FINE, "nothing to unregister", e);
        }
    }

    /**
     * A refusal ({@link ChatException}, as the admin service refuses) is the operator's to mend: an
     * {@code IllegalArgumentException} with its reason. Anything else is the server's fault, an
     * {@code IllegalArgumentException} of JPA's or the JDK's too, logged with its stack as the REST API logs it: the
     * console shows where to look.
     */
    static RuntimeException forConsole(Throwable cause) {
        if (cause instanceof ChatException refused && refused.code() != ErrorCode.INTERNAL) {
            return new IllegalArgumentException(refused.getMessage());
        }
        LOG.log(Level.WARNING, "a JMX operation failed", cause);
        return new IllegalStateException("the server failed (" + cause.getClass().getSimpleName()
                + "); its log has the details");
    }

    /** The MXBean itself: a plain object, so that the MBean server holds no container proxy. */
    private record Operations(AdminService admin, ManagedExecutorService executor, InApplication context)
            implements AdminMXBean {

        @Override
        public String[] getRooms() {
            return inApplication(() -> admin.rooms().stream().map(r -> r.room() + " seq=" + r.seq() + " owner="
                    + r.owner() + " access=" + r.access() + " members=" + r.members() + " online=" + r.online()
                    + " messages=" + r.messages() + " archived=" + r.archived()
                    + (r.topic() == null ? "" : " topic=" + r.topic())).toArray(String[]::new));
        }

        @Override
        public String[] roomMembers(String room) {
            return inApplication(() -> admin.room(room).members().stream().map(m -> m.user() + " role=" + m.role()
                    + " online=" + m.online()).toArray(String[]::new));
        }

        @Override
        public String[] getConnections() {
            return inApplication(() -> admin.connections().stream().map(c -> c.id() + " user=" + c.user()
                    + " node=" + c.node() + " address=" + c.address() + " since=" + c.since())
                    .toArray(String[]::new));
        }

        @Override
        public int kick(String user) {
            return inApplication(() -> admin.kick(user, BY));
        }

        @Override
        public void removeFromRoom(String room, String user) {
            run(() -> admin.removeFromRoom(room, user, BY));
        }

        @Override
        public String mute(String user, int minutes) {
            return inApplication(() -> line(admin.mute(user, minutes == 0 ? null : minutes, BY)));
        }

        @Override
        public void unmute(String user) {
            run(() -> admin.lift(user, Sanction.Kind.MUTE, BY));
        }

        @Override
        public String ban(String user) {
            return inApplication(() -> line(admin.ban(user, BY)));
        }

        @Override
        public void unban(String user) {
            run(() -> admin.lift(user, Sanction.Kind.BAN, BY));
        }

        @Override
        public void resetPassword(String user, String password) {
            run(() -> admin.resetPassword(user, password, BY));
        }

        @Override
        public void deleteAccount(String user) {
            run(() -> admin.deleteAccount(user, BY));
        }

        @Override
        public String[] getSanctions() {
            return inApplication(() -> admin.sanctions().stream().map(Operations::line).toArray(String[]::new));
        }

        @Override
        public String[] accounts(String prefix) {
            return inApplication(() -> admin.accounts(prefix, null, AccountService.MAX_LISTED).stream()
                    .map(a -> a.user() + (a.admin() ? " admin" : "") + (a.deleted() ? " deleted" : "")
                            + " created=" + a.created())
                    .toArray(String[]::new));
        }

        @Override
        public long postNotice(String room, String text) {
            return inApplication(() -> admin.notice(room, text, BY).seq());
        }

        @Override
        public int postNoticeToAll(String text) {
            return inApplication(() -> admin.noticeToAll(text, BY));
        }

        @Override
        public void archiveRoom(String room) {
            run(() -> admin.archive(room, BY));
        }

        @Override
        public void reopenRoom(String room) {
            run(() -> admin.reopen(room, BY));
        }

        @Override
        public long deleteMessage(String room, long seq) {
            return inApplication(() -> admin.deleteMessage(room, seq, BY).seq());
        }

        @Override
        public long clearTopic(String room) {
            return inApplication(() -> admin.clearTopic(room, BY).seq());
        }

        @Override
        public int removeLinks(String room) {
            return inApplication(() -> admin.removeLinks(room, BY));
        }

        @Override
        public void handOverRoom(String room, String user) {
            run(() -> admin.handOver(room, user, BY));
        }

        @Override
        public int purgeOlderThan(int days) {
            return inApplication(() -> admin.purge(days, BY));
        }

        @Override
        public String[] getAudit() {
            return inApplication(() -> admin.audit(50).stream().map(a -> a.at() + " " + a.by() + " " + a.action()
                    + " " + a.target() + (a.detail() == null ? "" : " (" + a.detail() + ")"))
                    .toArray(String[]::new));
        }

        private static String line(Sanction s) {
            return s.user() + " " + s.kind().wire() + " until=" + (s.until() == null ? "lifted" : s.until())
                    + " by=" + s.by() + " at=" + s.at();
        }

        private void run(Runnable operation) {
            inApplication(() -> {
                operation.run();
                return null;
            });
        }

        @Override
        public String getLimits() {
            return inApplication(() -> admin.limits().toString());
        }

        @Override
        public String changeLimits(int framesPerSecond, int frameBurst, int maxFrameBytes, int maxTextChars) {
            return inApplication(() -> admin.changeLimits(keep(framesPerSecond), keep(frameBurst),
                    keep(maxFrameBytes), keep(maxTextChars), BY).toString());
        }

        @Override
        public String resetLimits() {
            return inApplication(() -> admin.resetLimits(BY).toString());
        }

        private static Integer keep(int value) {
            return value == 0 ? null : value;
        }

        /** Runs on one of the application's threads; failures reach the console as JDK exceptions it can show. */
        @SuppressWarnings("unchecked") // the proxy's call returns what operation returned
        private <T> T inApplication(Callable<T> operation) {
            try {
                return (T) executor.submit(() -> context.call(operation)).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                // A contextual proxy may wrap what the operation threw (WildFly's does).
                while ((cause instanceof InvocationTargetException || cause instanceof UndeclaredThrowableException)
                        && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                throw forConsole(cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            } catch (TimeoutException e) {
                // The operation goes on (a transaction is not cut short): done twice, a notice would show twice.
                throw new IllegalStateException("no answer within 30 s; it may still be done: read the Audit "
                        + "attribute before trying again");
            }
        }
    }
}
