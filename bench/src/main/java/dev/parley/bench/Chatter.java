package dev.parley.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One person's connection to the server under test, in that server's protocol. It acknowledges what it got
 * once a second per room, as the contract asks of every client, so that the server's resends measure nothing
 * but real loss.
 */
abstract class Chatter implements Link.Listener {

    /** What a scenario hears from its chatters; called on the connection's event loop. */
    interface Events {
        /** {@code fresh} is false for a seq this connection had already seen in that room (a duplicate). */
        default void message(Chatter chatter, String room, long seq, String text, boolean fresh) {
        }

        default void receipt(Chatter chatter, String clientMsgId, long seq) {
        }

        /** The end of a replay: {@code more} when the client must page on with {@link #sync}. */
        default void synced(Chatter chatter, String room, long seq, boolean more) {
        }

        /** A page of history or sync: how many messages, the first and last seq, and whether there is more. */
        default void page(Chatter chatter, String room, int count, long firstSeq, long lastSeq, boolean more) {
        }

        default void error(Chatter chatter, String frame) {
        }

        default void closed(Chatter chatter, int code) {
        }
    }

    final String user;
    protected final Events events;
    protected volatile Link link;
    protected final CompletableFuture<Void> greeted = new CompletableFuture<>();
    private final Map<String, CompletableFuture<Void>> joining = new ConcurrentHashMap<>();
    /** Per room, the highest seq seen and the highest acknowledged; touched on the event loop only. */
    private final Map<String, long[]> marks = new HashMap<>();

    protected Chatter(String user, Events events) {
        this.user = user;
        this.events = events;
    }

    /** Connects and greets; completes when the server has welcomed this user. */
    abstract CompletableFuture<Void> connect(Loops loops);

    abstract void send(String room, String clientMsgId, String text);

    /** Pages on after a replay that said {@code more} (Parley only). */
    abstract void sync(String room, long after, int limit);

    /** Asks for the page of messages before seq {@code before} (Parley only). */
    abstract void history(String room, long before, int limit);

    protected abstract void requestJoin(String room);

    protected abstract void sendAck(String room, long seq);

    CompletableFuture<Void> join(String room) {
        CompletableFuture<Void> joined = new CompletableFuture<>();
        joining.put(room, joined);
        requestJoin(room);
        return joined;
    }

    void close() {
        Link current = link;
        if (current != null) {
            current.close();
        }
    }

    protected void joined(String room) {
        CompletableFuture<Void> pending = joining.remove(room);
        if (pending != null) {
            pending.complete(null);
        }
    }

    protected void delivered(String room, long seq, String text) {
        long[] mark = marks.computeIfAbsent(room, r -> new long[2]);
        boolean fresh = seq > mark[0];
        if (fresh) {
            mark[0] = seq;
        }
        events.message(this, room, seq, text, fresh);
    }

    /** Runs on the connection's event loop, like {@link #delivered}: no lock needed. */
    protected void startAcking(Link link) {
        link.every(1, TimeUnit.SECONDS, () -> marks.forEach((room, mark) -> {
            if (mark[0] > mark[1]) {
                mark[1] = mark[0];
                sendAck(room, mark[0]);
            }
        }));
    }

    /** For {@code whenComplete} on the way to the greeting: a failure there fails every pending step. */
    protected void failedIf(Object ignored, Throwable cause) {
        if (cause != null) {
            failed(cause);
        }
    }

    protected void failed(Throwable cause) {
        greeted.completeExceptionally(cause);
        joining.values().forEach(pending -> pending.completeExceptionally(cause));
    }

    @Override
    public void closed(int code) {
        failed(new IllegalStateException("closed with " + code));
        events.closed(this, code);
    }
}
