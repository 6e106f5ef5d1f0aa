package dev.parley.admin;

import dev.parley.chat.ChatService;
import dev.parley.protocol.CloseCodes;
import dev.parley.room.ChatStats;
import dev.parley.room.LiveRooms;
import dev.parley.room.RoomRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.ToLongFunction;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * The node's counters as application metrics ({@code /metrics?scope=application}). Totals since start are
 * gauges read from {@link ChatStats} at scrape time; Prometheus's {@code rate()} works on them as on counters.
 */
@ApplicationScoped
public class Metrics {

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    @Inject
    RoomRegistry rooms;

    @Inject
    ChatService chat;

    void register(@Observes @Initialized(ApplicationScoped.class) Object application) {
        LiveRooms live = rooms.live();
        ChatStats stats = live.stats();
        gauge("parley.connections.open", "WebSocket connections open on this node", live,
                l -> l.connections().size());
        gauge("parley.connections.opened", "WebSocket connections opened since start", stats,
                ChatStats::openedCount);
        Metadata closed = Metadata.builder().withName("parley.connections.closed")
                .withDescription("WebSocket connections closed since start, by close code").build();
        for (int code : CloseCodes.COUNTED) {
            registry.gauge(closed, stats, s -> s.closedCount(code), new Tag("code", String.valueOf(code)));
        }
        registry.gauge(closed, stats, ChatStats::closedOtherwiseCount, new Tag("code", "other"));
        gauge("parley.messages.stored", "messages stored since start (not counting repeated sends)", stats,
                ChatStats::storedCount);
        gauge("parley.messages.delivered", "live messages handed to connections since start, each once", stats,
                ChatStats::deliveredCount);
        gauge("parley.messages.replayed", "messages sent from the store (replay, gap fill, resend) since start",
                stats, ChatStats::replayedCount);
        gauge("parley.resends", "resends of unacked messages since start", stats, ChatStats::resendCount);
        gauge("parley.messages.missed.live", "times a connection got a room's newest messages from the store, "
                + "their live events not come a tip check after they were stored", stats, ChatStats::missedLiveCount);
        gauge("parley.rate.limited", "frames refused by the rate limit since start", stats,
                ChatStats::rateLimitedCount);
        gauge("parley.outbound.queue.max.chars", "the longest outbound queue of a connection now, in characters",
                live, LiveRooms::maxQueuedChars);
        gauge("parley.store.waiting", "messages sent and not answered yet: waiting for a commit, in one, or for "
                + "their receipt (past the node's bound, sends are refused)", chat, ChatService::unansweredSends);
        gauge("parley.store.refused", "sends and tips refused since start because too many messages waited to be "
                + "stored", stats, ChatStats::refusedBusyCount);
        gauge("parley.store.failed", "messages the store failed to store since start (answered internal)", stats,
                ChatStats::storeFailedCount);
        Timer commit = registry.timer(Metadata.builder().withName("parley.store.commit")
                .withDescription("time to store a message: the wait for its group commit and the transaction")
                .build());
        Timer delivery = registry.timer(Metadata.builder().withName("parley.delivery.latency")
                .withDescription("from a send read to its message queued for every recipient on this node")
                .build());
        Timer batch = registry.timer(Metadata.builder().withName("parley.store.batch")
                .withDescription("one group commit: the transaction that stores a batch of messages").build());
        Histogram batchMessages = registry.histogram(Metadata.builder().withName("parley.store.batch.messages")
                .withDescription("messages in one group commit").build());
        stats.timings(new ChatStats.Timings() {
            @Override
            public void commit(long nanos) {
                commit.update(Duration.ofNanos(nanos));
            }

            @Override
            public void delivery(long nanos) {
                delivery.update(Duration.ofNanos(nanos));
            }

            @Override
            public void batch(int messages, long nanos) {
                batch.update(Duration.ofNanos(nanos));
                batchMessages.update(messages);
            }
        });
    }

    private <T> void gauge(String name, String description, T source, ToLongFunction<T> value) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).build(), source,
                s -> value.applyAsLong(s));
    }
}
