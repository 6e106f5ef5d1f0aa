package dev.parley.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.container.inmemory.InMemoryClientContainer;
import org.glassfish.tyrus.server.TyrusServerConfiguration;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;
import org.junit.jupiter.api.Test;

/**
 * Idle timers still fire on the plain scheduler, and the sessions a container makes after the first connection
 * start with it: were it otherwise, a deployment that sets an idle timeout would keep dead sockets, or every new
 * connection would still capture a context on the container's managed scheduler.
 */
class TyrusIdleTimerTest {

    private static final BlockingQueue<String> CLOSED = new LinkedBlockingQueue<>();

    /** Hands the plain scheduler over, then gives the session 200 ms of idleness. */
    @ServerEndpoint("/idle")
    public static class ShortIdle {
        @OnOpen
        public void open(Session session) {
            TyrusIdleTimer.usePlainScheduler(session);
            session.setMaxIdleTimeout(200);
        }

        @OnClose
        public void close(CloseReason reason) {
            CLOSED.add(reason.getReasonPhrase());
        }
    }

    @Test
    void theContainerTimesItsNewSessionsOnThePlainScheduler() throws Exception {
        TyrusServerContainer container = new TyrusServerContainer(Set.<Class<?>>of()) {
            @Override
            public void register(Class<?> endpointClass) {
            }

            @Override
            public void register(ServerEndpointConfig serverConfig) {
            }

            @Override
            public WebSocketEngine getWebSocketEngine() {
                return null;
            }
        };
        TyrusIdleTimer.useForNewSessions(container);
        CompletableFuture<String> ranOn = new CompletableFuture<>();
        container.getScheduledExecutorService()
                .schedule(() -> ranOn.complete(Thread.currentThread().getName()), 1, TimeUnit.MILLISECONDS);
        assertEquals("parley-idle-timers", ranOn.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aTimerDueAtOnceRunsOnTheCallingThreadAndALaterOneOrAHandedOverTaskOnTheTimerThread() throws Exception {
        TyrusIdleTimer.IdleTimers timers = new TyrusIdleTimer.IdleTimers(Duration.ofMinutes(1));
        try {
            List<String> ranOn = new ArrayList<>();
            Runnable idleCheck = () -> ranOn.add(Thread.currentThread().getName());
            ScheduledFuture<?> due = timers.schedule(idleCheck, 0, TimeUnit.MILLISECONDS);
            assertEquals(List.of(Thread.currentThread().getName()), ranOn, "ran before schedule returned");
            assertTrue(due.isDone());
            assertNull(due.get());
            assertEquals(0, timers.getQueue().size(), "nothing queued for the timer thread");

            IllegalStateException thrown = new IllegalStateException("the idle check failed");
            Runnable failing = () -> {
                throw thrown;
            };
            ScheduledFuture<?> failed = timers.schedule(failing, 0, TimeUnit.MILLISECONDS);
            assertTrue(failed.isDone());
            assertSame(thrown, assertThrows(ExecutionException.class, failed::get).getCause(),
                    "get throws what the timer threw, as a scheduled task's future does");

            CompletableFuture<String> later = new CompletableFuture<>();
            timers.schedule(() -> later.complete(Thread.currentThread().getName()), 20, TimeUnit.MILLISECONDS);
            assertEquals("parley-idle-timers", later.get(10, TimeUnit.SECONDS));

            CompletableFuture<String> handedOver = new CompletableFuture<>();
            timers.execute(() -> handedOver.complete(Thread.currentThread().getName()));
            assertEquals("parley-idle-timers", handedOver.get(10, TimeUnit.SECONDS), "execute is not a timer");
        } finally {
            timers.shutdownNow();
        }
    }

    @Test
    void theTimerThreadEndsWhenItHasNothingToTime() throws Exception {
        TyrusIdleTimer.IdleTimers timers = new TyrusIdleTimer.IdleTimers(Duration.ofMillis(50));
        try {
            CompletableFuture<Thread> ranOn = new CompletableFuture<>();
            timers.schedule(() -> ranOn.complete(Thread.currentThread()), 1, TimeUnit.MILLISECONDS);
            Thread timerThread = ranOn.get(10, TimeUnit.SECONDS);

            timerThread.join(10_000);
            assertFalse(timerThread.isAlive(), "a thread left running keeps an undeployed application's classes");

            CompletableFuture<String> later = new CompletableFuture<>();
            timers.schedule(() -> later.complete(Thread.currentThread().getName()), 1, TimeUnit.MILLISECONDS);
            assertEquals("parley-idle-timers", later.get(10, TimeUnit.SECONDS), "a new thread for a new timer");
        } finally {
            timers.shutdownNow();
        }
    }

    @Test
    void quietSessionsAreClosedByTheirIdleTimeout() throws Exception {
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create().build();
        config.getUserProperties().put(InMemoryClientContainer.SERVER_CONFIG,
                new TyrusServerConfiguration(Set.of(ShortIdle.class), Set.of()));
        ClientManager client = ClientManager.createClient(InMemoryClientContainer.class.getName());
        for (String which : new String[] {"first", "second"}) { // each has a container of its own in memory
            Session session = client.connectToServer(new Endpoint() {
                @Override
                public void onOpen(Session opened, EndpointConfig ignored) {
                }
            }, config, URI.create("ws://inmemory/idle"));
            try {
                String reason = CLOSED.poll(10, TimeUnit.SECONDS);
                assertNotNull(reason, "the " + which + " session was closed while it said nothing");
                assertTrue(reason.contains("idle"), reason);
            } finally {
                session.close();
            }
        }
    }
}
