package dev.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A reader who was away while M messages were posted comes back: how fast the server replays them (Parley
 * only: the replay from the read marker, then {@code sync} pages while {@code more}). Then the measured reader
 * scrolls the room back to its first message with {@code history} pages, newest first, as a client does.
 */
final class Resume {

    /** {@code --jfr}: how long the recording of the catch-up runs. */
    private static final long PROFILE_SECONDS = 10;

    private final Target target;
    private final Options options;
    private final int missed;
    private final int page;
    /** Catch-ups of the same messages by other readers before the measured one. */
    private final int warmups;
    private final String run = UUID.randomUUID().toString().substring(0, 6);

    Resume(Target target, Options options) {
        this.target = target;
        this.options = options;
        this.missed = options.count("messages", 50_000);
        this.page = options.count("page", 500);
        this.warmups = options.count("warmups", 3);
        if (!target.server().equals("parley")) {
            throw new IllegalArgumentException("resume needs stored history: Parley only");
        }
    }

    Report run() throws Exception {
        String room = "resume-" + run;
        try (Loops loops = new Loops(2)) {
            // The readers become members, then go away; the first ones catch up unmeasured, so that the
            // measured one finds the replay path compiled, as on a server that has been up for a while.
            List<String> readers = new ArrayList<>();
            for (int i = 0; i <= warmups; i++) {
                String reader = "r" + i + "-" + run;
                Chatter away = target.chatter(reader, new Chatter.Events() { });
                away.connect(loops).thenCompose(ok -> away.join(room)).get(60, TimeUnit.SECONDS);
                away.close();
                readers.add(reader);
            }

            double postSeconds = post(loops, room);

            List<CaughtUp> caughtUp = new ArrayList<>();
            for (int i = 0; i <= warmups; i++) {
                caughtUp.add(catchUp(loops, readers.get(i), i == warmups)); // the last one measured (profiled)
            }
            CaughtUp first = caughtUp.get(0);
            CaughtUp measured = caughtUp.get(warmups);
            double seconds = measured.seconds();
            if (!options.text("jfr", "").isEmpty() && seconds < PROFILE_SECONDS) {
                // The recording is written when it ends; the server must still run then.
                TimeUnit.MILLISECONDS.sleep(Math.round((PROFILE_SECONDS - seconds) * 1000) + 2000);
            }
            long rate = Math.round(measured.received() / seconds);
            long firstRate = Math.round(first.received() / first.seconds());
            CaughtUp scrolled = scrollBack(loops, readers.get(warmups), room);
            long scrollRate = Math.round(scrolled.received() / scrolled.seconds());
            return new Report("resume", target, options)
                    .put("replayed", measured.received())
                    .put("replay_seconds", Math.round(seconds * 1000) / 1000.0) // short: to the millisecond
                    .put("replayed_per_s", rate)
                    .put("first_replayed_per_s", firstRate)
                    .put("posted_per_s", Math.round(missed / postSeconds))
                    .put("scrolled", scrolled.received())
                    .put("scrolled_per_s", scrollRate)
                    .line("resume on %s: %,d missed messages replayed in %.2f s = %,d messages/s "
                            + "(from hello to the last one, after %d catch-up(s) of the same messages by other "
                            + "readers; the first: %,d messages/s; posting them took %.1f s)", target.server(),
                            measured.received(), seconds, rate, warmups, firstRate, postSeconds)
                    .line("  history: %,d messages scrolled back in %.2f s = %,d messages/s (pages of %d, newest "
                            + "first)", scrolled.received(), scrolled.seconds(), scrollRate, page);
        }
    }

    private record CaughtUp(long received, double seconds) {
    }

    /** One reader comes back and reads until it has every missed message: from hello to the last one. */
    private CaughtUp catchUp(Loops loops, String reader, boolean profiled) throws Exception {
        Catchup catchup = new Catchup();
        Chatter back = target.chatter(reader, catchup);
        if (profiled) {
            Profiler.start(target, options, PROFILE_SECONDS);
        }
        long start = System.nanoTime();
        back.connect(loops).get(60, TimeUnit.SECONDS);
        catchup.done.get(300, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        back.close();
        return new CaughtUp(catchup.received.get(), seconds);
    }

    /** The reader asks for history pages from the newest message back to the first: the time to read them all. */
    private CaughtUp scrollBack(Loops loops, String reader, String room) throws Exception {
        AtomicLong received = new AtomicLong();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Chatter scroller = target.chatter(reader, new Chatter.Events() {
            @Override
            public void page(Chatter chatter, String pageRoom, int count, long firstSeq, long lastSeq,
                             boolean more) {
                received.addAndGet(count);
                if (more) {
                    chatter.history(room, firstSeq, page);
                } else {
                    done.complete(null);
                }
            }

            @Override
            public void error(Chatter chatter, String frame) {
                done.completeExceptionally(new IllegalStateException(frame));
            }
        });
        scroller.connect(loops).get(60, TimeUnit.SECONDS);
        long start = System.nanoTime();
        scroller.history(room, missed + 1L, page); // the seqs of the room's messages are 1 to M
        done.get(600, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        scroller.close();
        if (received.get() != missed) {
            throw new IllegalStateException("history gave " + received.get() + " of " + missed + " messages");
        }
        return new CaughtUp(received.get(), seconds);
    }

    /** Posts the messages the reader misses, a window of 64 without receipts at a time. */
    private double post(Loops loops, String room) throws Exception {
        AtomicLong receipts = new AtomicLong();
        CompletableFuture<Void> allStored = new CompletableFuture<>();
        AtomicLong next = new AtomicLong();
        Chatter writer = target.chatter("w" + run, new Chatter.Events() {
            @Override
            public void receipt(Chatter chatter, String clientMsgId, long seq) {
                if (receipts.incrementAndGet() == missed) {
                    allStored.complete(null);
                }
                sendNext(chatter);
            }

            void sendNext(Chatter chatter) {
                long n = next.incrementAndGet();
                if (n <= missed) {
                    chatter.send(room, "m" + n, "missed message " + n);
                }
            }
        });
        writer.connect(loops).thenCompose(ok -> writer.join(room)).get(60, TimeUnit.SECONDS);
        long start = System.nanoTime();
        for (int i = 0; i < 64; i++) {
            long n = next.incrementAndGet();
            if (n <= missed) {
                writer.send(room, "m" + n, "missed message " + n);
            }
        }
        allStored.get(600, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        writer.close();
        return seconds;
    }

    /** Counts what comes back, and pages on with sync until the last missed message arrived. */
    private final class Catchup implements Chatter.Events {
        final AtomicLong received = new AtomicLong();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        @Override
        public void message(Chatter chatter, String room, long seq, String text, boolean fresh) {
            if (fresh && received.incrementAndGet() == missed) {
                done.complete(null);
            }
        }

        @Override
        public void synced(Chatter chatter, String room, long seq, boolean more) {
            if (more) {
                chatter.sync(room, seq, page);
            }
        }

        @Override
        public void page(Chatter chatter, String room, int count, long firstSeq, long lastSeq, boolean more) {
            if (received.addAndGet(count) >= missed) {
                done.complete(null);
            } else if (more) {
                chatter.sync(room, lastSeq, page);
            }
        }

        @Override
        public void error(Chatter chatter, String frame) {
            done.completeExceptionally(new IllegalStateException(frame));
        }
    }
}
