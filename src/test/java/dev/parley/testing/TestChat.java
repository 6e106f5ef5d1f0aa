package dev.parley.testing;

import dev.parley.chat.ChatService;
import dev.parley.cluster.InMemoryClusterBus;
import dev.parley.cluster.LocalPresence;
import dev.parley.cluster.NodeEvent;
import dev.parley.config.Limits;
import dev.parley.delivery.Redelivery;
import dev.parley.protocol.ClientFrame;
import dev.parley.room.Clocks;
import dev.parley.room.Connection;
import dev.parley.room.LiveRooms;
import dev.parley.room.ReadMarkers;
import dev.parley.security.AddressCap;
import dev.parley.security.Blocks;
import dev.parley.security.HashTurns;
import dev.parley.security.PasswordChecks;
import dev.parley.security.PasswordHasher;
import dev.parley.security.Sanctions;
import dev.parley.security.TokenService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/** A whole chat in plain Java: in-memory stores and bus, real tokens, connections that record their frames. */
public final class TestChat {

    /** Time passing: the steady clock, and the wall clock's too. */
    public final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T08:00:00Z"));
    /** The wall clock: moves with {@link #clock}, and alone when a test steps it (NTP, a virtual machine resumed). */
    public final SteppedClock wall = new SteppedClock(clock);
    public final InMemoryRoomStore rooms = new InMemoryRoomStore();
    public final InMemoryMessageStore messages = new InMemoryMessageStore(rooms, wall);
    public final InMemoryClusterBus bus = new InMemoryClusterBus();
    public final LiveRooms live = new LiveRooms(bus, new LocalPresence(), new Clocks(wall, clock));
    public final Redelivery redelivery;
    public final ReadMarkers markers = new ReadMarkers(rooms::ack, read -> bus.publish(new NodeEvent.ReadUpTo(read)));
    /** Thrown where a token's generation is read (the accounts' database away), while it is set. */
    public volatile RuntimeException accountsAway;
    public final TokenService tokens = new TokenService("test key of at least thirty-two bytes".getBytes(),
            Duration.ofHours(1), wall, user -> {
                if (accountsAway != null) {
                    throw accountsAway;
                }
                return 0;
            });
    /** Few iterations: the tests check the rules, not the hash's cost. */
    public static final PasswordHasher HASHER = new PasswordHasher(1_000);
    public final Sanctions sanctions = new Sanctions(new InMemorySanctionStore(), wall);
    public final Blocks blocks = new Blocks(new InMemoryBlockStore());
    public final ChatService chat;
    private final AtomicInteger ids = new AtomicInteger();

    public TestChat(Limits limits) {
        this(limits, Runnable::run);
    }

    /** With a committer of the test's own (one that holds the commit loops, to fill the queue). */
    public TestChat(Limits limits, Executor committer) {
        this(limits, committer, Integer.MAX_VALUE);
    }

    /** With a cap on the rooms one address creates in a minute (none otherwise). */
    public TestChat(Limits limits, Executor committer, int newRoomsPerAddress) {
        bus.subscribe(live::deliver);
        bus.subscribeToNodeEvents(live::obey);
        live.blocking(blocks);
        redelivery = Redelivery.of(messages, live, clock, limits);
        // Messages are stored and answered on the sender's thread: a test sees the receipt as soon as it has sent.
        chat = new ChatService(rooms, rooms, messages, committer, Runnable::run, redelivery, markers, live, bus,
                tokens, new PasswordChecks(HASHER, new HashTurns(1), 10, clock),
                new AddressCap(newRoomsPerAddress, clock), sanctions, blocks, limits, new Clocks(wall, clock));
    }

    public TestChat() {
        this(Limits.DEFAULTS);
    }

    /**
     * Limits with an outbound queue of {@code chars}, whose quarter is the catch-up share, and frame rates no test
     * reaches: for tests of how much one answer may hold.
     */
    public static Limits withQueue(long chars) {
        return new Limits(25, Duration.ofSeconds(10), 64 * 1024, 4000, chars, 100, 500, 1_000, 1_000, 10,
                Duration.ofSeconds(10), 6, Duration.ofMinutes(15));
    }

    /** A client: a connection with a recording outbound side. */
    public record Client(Connection connection, RecordingOutbound out) {
    }

    public Client connect() {
        return connectFrom("127.0.0.1");
    }

    private Client connectFrom(String address) {
        RecordingOutbound out = new RecordingOutbound();
        return new Client(chat.open("c" + ids.incrementAndGet(), address, out), out);
    }

    /** Connects and says hello as the user. */
    public Client hello(String user) {
        return helloFrom(user, "127.0.0.1");
    }

    public Client helloFrom(String user, String address) {
        Client client = connectFrom(address);
        chat.handle(client.connection(), new ClientFrame.Hello("h", tokens.issue(user, Set.of()).token(), Map.of()));
        return client;
    }

    public Client member(String user, String room) {
        Client client = hello(user);
        chat.handle(client.connection(), new ClientFrame.Join("j", room, null, null));
        return client;
    }

    /** A clock the test moves. */
    public static final class MutableClock extends UtcClock {
        private Instant now;

        public MutableClock(Instant now) {
            this.now = now;
        }

        public void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A clock that runs with another, and steps away from it when told. */
    public static final class SteppedClock extends UtcClock {
        private final Clock base;
        private Duration step = Duration.ZERO;

        public SteppedClock(Clock base) {
            this.base = base;
        }

        public void step(Duration by) {
            step = step.plus(by);
        }

        @Override
        public Instant instant() {
            return base.instant().plus(step);
        }
    }

    /** The tests' clocks are UTC, as every clock of Parley's. */
    abstract static class UtcClock extends Clock {

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
