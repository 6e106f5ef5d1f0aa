package dev.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Many chatters connected and in their rooms, opened a bounded number at a time (a server's accept queue is
 * not what the scenarios measure). Failures are counted, not fatal: the scenario reports them.
 */
final class Crowd {

    /** By index; null where that one failed. */
    final Chatter[] chatters;
    final AtomicInteger failures = new AtomicInteger();
    volatile String firstFailure;

    /**
     * Connects {@code count} chatters named {@code prefix + i}; each joins {@code roomOf.apply(i)} unless that is
     * null. Returns once every one is in, or has failed.
     */
    private Crowd(int count) {
        chatters = new Chatter[count];
    }

    static Crowd gather(Target target, Loops loops, String prefix, int count, IntFunction<String> roomOf,
                        Chatter.Events events, int parallel) throws InterruptedException {
        Crowd crowd = new Crowd(count);
        Semaphore slots = new Semaphore(parallel);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            slots.acquire();
            int index = i;
            Chatter chatter = target.chatter(prefix + i, events);
            String room = roomOf.apply(i);
            CompletableFuture<Void> in = chatter.connect(loops)
                    .thenCompose(ok -> room == null ? CompletableFuture.completedFuture(null) : chatter.join(room))
                    .orTimeout(60, TimeUnit.SECONDS)
                    .handle((ok, e) -> {
                        slots.release();
                        if (e != null) {
                            if (crowd.failures.incrementAndGet() == 1) {
                                crowd.firstFailure = String.valueOf(e);
                            }
                            chatter.close();
                        } else {
                            crowd.chatters[index] = chatter;
                        }
                        return null;
                    });
            all.add(in);
        }
        // join() gives the array's writes a happens-before edge to the caller.
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        return crowd;
    }

    void close() {
        for (Chatter chatter : chatters) {
            if (chatter != null) {
                chatter.close();
            }
        }
    }
}
