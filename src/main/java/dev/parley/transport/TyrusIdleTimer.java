package dev.parley.transport;

import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives a Tyrus session a plain scheduler for its idle timer. Tyrus 2.1 reschedules that timer on every frame
 * received and sent, even with the idle timeout off, on the scheduler the container lends it; on Payara that is
 * a managed executor, which captures the caller's context per task by searching the class path under a lock.
 * With thousands of readers acking every second that search was most of the server's CPU, and its lock the
 * longest wait. Parley's idle rule is the heartbeat sweep's anyway (the session's own timeout is 0), so the timer
 * does nothing: with the timeout 0 as its delay, Tyrus's idle check is due at once and finds the timeout off. The
 * plain scheduler runs such a task on the calling thread rather than queue it: queued, every frame received woke
 * the timer thread for nothing (performance.md, item 20). The container is given it too, because a session
 * schedules its first timer while it is made, before Parley sees it (a twentieth of the server's CPU while
 * thousands of connections opened at once). Elsewhere (no Tyrus, or a Tyrus without those fields) nothing changes.
 */
final class TyrusIdleTimer {

    private static final Logger LOG = Logger.getLogger(TyrusIdleTimer.class.getName());
    private static final String SESSION = "org.glassfish.tyrus.core.TyrusSession";
    private static final String CONTAINER = "org.glassfish.tyrus.core.BaseContainer";

    /**
     * One daemon thread for every session of the node, for idle timeouts set above 0. It ends after a minute
     * with nothing to time: this class lives as long as the deployment and is never told it is undeployed,
     * and a thread left running would keep the undeployed application's classes.
     */
    private static final ScheduledExecutorService PLAIN =
            Executors.unconfigurableScheduledExecutorService(new IdleTimers(Duration.ofMinutes(1)));

    private static final ClassValue<MethodHandle> SETTERS = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> sessionClass) {
            Class<?> type = superclassNamed(sessionClass, SESSION);
            if (type == null) {
                return null;
            }
            try {
                return MethodHandles.privateLookupIn(type, MethodHandles.lookup())
                        .findSetter(type, "service", ScheduledExecutorService.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                Findings.log(LOG, "Tyrus keeps the container's scheduler for idle timers", e);
                return null;
            }
        }
    };

    /**
     * The field through which a Tyrus container hands its sessions the scheduler it was lent (final, written
     * once per container: the sessions made after that read it).
     */
    private static final ClassValue<Field> CONTAINER_SCHEDULERS = new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> containerClass) {
            Class<?> type = superclassNamed(containerClass, CONTAINER);
            if (type == null) {
                return null;
            }
            try {
                Field field = type.getDeclaredField("managedScheduledExecutorService");
                field.setAccessible(true);
                return field;
            } catch (ReflectiveOperationException | RuntimeException e) {
                Findings.log(LOG, "Tyrus's sessions start with the container's scheduler for idle timers", e);
                return null;
            }
        }
    };

    /** The last container given the plain scheduler; read on every connection, written once. */
    private static volatile WebSocketContainer adopted;

    private TyrusIdleTimer() {
    }

    /**
     * The class of that name among {@code type} and its superclasses, or null: Tyrus's classes are looked at
     * by name, so that Parley needs none of them to compile or run.
     */
    static Class<?> superclassNamed(Class<?> type, String name) {
        Class<?> candidate = type;
        while (candidate != null && !candidate.getName().equals(name)) {
            candidate = candidate.getSuperclass();
        }
        return candidate;
    }

    static void usePlainScheduler(Session session) {
        useForNewSessions(session.getContainer());
        MethodHandle setter = SETTERS.get(session.getClass());
        if (setter == null) {
            return;
        }
        try {
            setter.invoke(session, PLAIN);
        } catch (Throwable e) {
            LOG.log(Level.FINE, "idle timer of " + session.getId() + " left as it was", e);
        }
    }

    /** Gives the container the plain scheduler, for the sessions it makes from now on. */
    static void useForNewSessions(WebSocketContainer container) {
        if (container == null || container == adopted) {
            return;
        }
        Field field = CONTAINER_SCHEDULERS.get(container.getClass());
        if (field != null) {
            try {
                field.set(container, PLAIN);
            } catch (IllegalAccessException | RuntimeException e) {
                LOG.log(Level.FINE, "the container keeps its scheduler for idle timers", e);
            }
        }
        adopted = container;
    }

    /**
     * The plain scheduler: a thread's queue, except that a timer scheduled with no delay runs on the calling
     * thread. Tasks handed over to run (execute, submit) still run on the timer thread, as an executor's should:
     * only the timer is known to be Tyrus's idle check. Cancelled timers leave the queue at once, since Tyrus
     * cancels one per frame when a timeout is set.
     */
    static final class IdleTimers extends ScheduledThreadPoolExecutor {

        /** @param idleThread how long the thread waits for a timer before it ends (one is made when needed) */
        IdleTimers(Duration idleThread) {
            super(1, task -> {
                Thread thread = new Thread(task, "parley-idle-timers");
                thread.setDaemon(true);
                return thread;
            });
            setRemoveOnCancelPolicy(true);
            setKeepAliveTime(idleThread.toNanos(), TimeUnit.NANOSECONDS);
            allowCoreThreadTimeOut(true);
        }

        @Override
        public void execute(Runnable command) {
            super.schedule(command, 0, TimeUnit.NANOSECONDS);
        }

        @Override
        public Future<?> submit(Runnable task) {
            return super.schedule(task, 0, TimeUnit.NANOSECONDS);
        }

        @Override
        public <T> Future<T> submit(Runnable task, T result) {
            return super.schedule(Executors.callable(task, result), 0, TimeUnit.NANOSECONDS);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            if (delay > 0) {
                return super.schedule(command, delay, unit);
            }
            try {
                command.run();
            } catch (RuntimeException e) {
                // Tyrus only ever cancels its idle timer's future, so the failure is logged as well as kept.
                LOG.log(Level.FINE, "a timer due at once failed", e);
                return new Ran(e);
            }
            return Ran.ALREADY;
        }
    }

    /**
     * A timer that ran when it was scheduled: nothing is left to cancel or wait for. Like a scheduled task's
     * future, {@code get} throws what the timer threw, wrapped.
     */
    private static final class Ran implements ScheduledFuture<Object> {

        static final Ran ALREADY = new Ran(null);

        /** What the timer threw, or null. */
        private final RuntimeException failure;

        Ran(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Object get() throws ExecutionException {
            if (failure != null) {
                throw new ExecutionException(failure);
            }
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) throws ExecutionException {
            return get();
        }
    }
}
