package dev.parley.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Senders posting into rooms full of readers: {@code fanout} (many readers per room) and {@code store} (each
 * sender alone in its room, so that storing, not fan-out, is what is measured). A sender posts at a fixed rate,
 * or, with rate 0, keeps a window of messages without receipts in flight. After a warm-up, a measured window;
 * then sending stops and every message is awaited, so that lost and duplicate deliveries are counted exactly.
 */
final class Traffic implements Chatter.Events {

    private final String scenario;
    private final Target target;
    private final Options options;
    private final int connections;
    private final int rooms;
    private final int senders;
    private final long rate;
    private final int window;
    private final String padding;
    private final long warmupSeconds;
    private final long durationSeconds;
    private final int parallel;
    private final int threads;
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final SlowReceipts slowReceipts;

    private final Recorder deliveryLatency = new Recorder(3);
    private final Recorder receiptLatency = new Recorder(3);
    private final LongAdder receipts = new LongAdder();
    private final LongAdder fresh = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder errors = new LongAdder();
    /** Errors while the window was measured (the others came during the warm-up or the wait at the end). */
    private final LongAdder windowErrors = new LongAdder();
    private final LongAdder windowDeliveries = new LongAdder();
    private final LongAdder windowReceipts = new LongAdder();
    private final AtomicLong messageIds = new AtomicLong();
    private final AtomicLong closedUnexpectedly = new AtomicLong();
    /** Of the connections closed while sending went on: how many with each close code, senders apart. */
    private final Map<String, LongAdder> closeCodes = new ConcurrentHashMap<>();
    private volatile Chatter[] senderChatters = new Chatter[0];
    /** Connected members per room: each message is expected that many times. */
    private final int[] members;
    private final InFlight inFlight = new InFlight();
    private volatile String firstError;
    private volatile boolean sending = true;
    private volatile boolean measuring;
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long measureTo = Long.MAX_VALUE;

    Traffic(String scenario, Target target, Options options) {
        this.scenario = scenario;
        this.target = target;
        this.options = options;
        boolean store = scenario.equals("store");
        this.senders = options.count("senders", store ? 50 : 40);
        this.connections = options.count("connections", store ? senders : 2000);
        this.rooms = options.count("rooms", store ? senders : 20);
        this.rate = options.number("rate", store ? 0 : 10);
        this.window = options.count("window", 8);
        int size = options.count("size", 100);
        this.padding = "x".repeat(Math.max(0, size - 22));
        this.warmupSeconds = options.number("warmup", 10);
        this.durationSeconds = options.number("duration", 30);
        this.parallel = options.count("parallel", 200);
        this.threads = options.count("client-threads", Runtime.getRuntime().availableProcessors());
        this.members = new int[rooms];
        this.slowReceipts = SlowReceipts.of(options);
        if (senders > connections || rooms > connections) {
            throw new IllegalArgumentException("senders and rooms must not outnumber connections");
        }
    }

    Report run() throws InterruptedException {
        try (Loops loops = new Loops(threads)) {
            long openStart = System.nanoTime();
            Crowd crowd = Crowd.gather(target, loops, "t" + run + "-", connections, i -> room(i % rooms), this,
                    parallel);
            double openSeconds = (System.nanoTime() - openStart) / 1e9;
            for (int i = 0; i < connections; i++) {
                if (crowd.chatters[i] != null) {
                    members[i % rooms]++;
                }
            }
            senderChatters = Arrays.copyOf(crowd.chatters, senders);
            if (Arrays.asList(senderChatters).contains(null)) {
                throw new IllegalStateException(crowd.failures + " connections failed, among them senders; first: "
                        + crowd.firstFailure);
            }
            for (int s = 0; s < senders; s++) {
                startSending(senderChatters[s], s);
            }

            TimeUnit.SECONDS.sleep(warmupSeconds);
            ProcessStats serverBefore = target.pid() > 0 ? ProcessStats.of(target.pid()) : null;
            double databaseBefore = target.databasePid() > 0 ? ProcessStats.treeCpuSeconds(target.databasePid()) : 0;
            ProcessStats selfBefore = ProcessStats.self();
            deliveryLatency.reset();
            receiptLatency.reset();
            Profiler.start(target, options, durationSeconds);
            measureFrom = System.nanoTime();
            measuring = true;
            TimeUnit.SECONDS.sleep(durationSeconds);
            measuring = false;
            measureTo = System.nanoTime();
            ProcessStats serverAfter = target.pid() > 0 ? ProcessStats.of(target.pid()) : null;
            double databaseAfter = target.databasePid() > 0 ? ProcessStats.treeCpuSeconds(target.databasePid()) : 0;
            ProcessStats selfAfter = ProcessStats.self();
            double seconds = (measureTo - measureFrom) / 1e9;
            long deliveredInWindow = windowDeliveries.sum();
            long receiptsInWindow = windowReceipts.sum();

            sending = false;
            awaitEverything();
            // Taken after the wait: a message sent in the window counts with the whole time it took, however late.
            Histogram delivery = deliveryLatency.getIntervalHistogram();
            Histogram receipt = receiptLatency.getIntervalHistogram();
            long lost = inFlight.expected() - fresh.sum();
            crowd.close();
            if (slowReceipts != null) {
                slowReceipts.write();
            }

            Report report = new Report(scenario, target, options)
                    .put("connected", connections - crowd.failures.get())
                    .put("connect_failures", crowd.failures.get())
                    .put("open_seconds", Report.round(openSeconds))
                    .put("delivered_per_s", Math.round(deliveredInWindow / seconds))
                    .put("receipts_per_s", Math.round(receiptsInWindow / seconds))
                    .latency("delivery", delivery)
                    .latency("receipt", receipt)
                    .put("sent", inFlight.sent())
                    .put("receipts", receipts.sum())
                    .put("expected_deliveries", inFlight.expected())
                    .put("lost", lost)
                    .put("unanswered", inFlight.unanswered())
                    .put("duplicates", duplicates.sum())
                    .put("refused", inFlight.refused())
                    .put("errors", errors.sum())
                    .put("errors_in_window", windowErrors.sum())
                    .put("closed_unexpectedly", closedUnexpectedly.get())
                    .put("close_codes", closeCodes.toString());
            report.line("%s on %s: %d connections (%d failed) in %d rooms, %d senders, %s, %d-byte texts",
                    scenario, target.server(), connections, crowd.failures.get(), rooms, senders,
                    rate > 0 ? rate + " msg/s each" : "window " + window, padding.length() + 22);
            report.line("  measured %.1f s after %d s warm-up: %,d deliveries/s, %,d receipts/s",
                    seconds, warmupSeconds, Math.round(deliveredInWindow / seconds),
                    Math.round(receiptsInWindow / seconds));
            report.line("  delivery latency p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms",
                    ms(delivery, 50), ms(delivery, 99), ms(delivery, 99.9), delivery.getMaxValue() / 1e6);
            report.line("  receipt latency p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                    ms(receipt, 50), ms(receipt, 99), receipt.getMaxValue() / 1e6);
            report.line("  sent %,d, receipts %,d, refused %,d, never answered %,d, deliveries expected %,d, lost %,d, "
                            + "duplicates %,d, errors %,d (%,d in the window)%s", inFlight.sent(), receipts.sum(),
                    inFlight.refused(), inFlight.unanswered(), inFlight.expected(), lost, duplicates.sum(),
                    errors.sum(), windowErrors.sum(),
                    firstError == null ? "" : " (first: " + firstError + ")");
            if (!closeCodes.isEmpty()) {
                report.line("  closed by the server while sending went on: %s", closeCodes);
            }
            if (serverAfter != null) {
                // PostgreSQL's processes work for the server: counted with it, as H2 is, which runs inside it.
                double database = databaseAfter - databaseBefore;
                double cpu = serverAfter.cpuSeconds() - serverBefore.cpuSeconds() + database;
                report.put("server_cpu_seconds", Report.round(cpu))
                        .put("database_cpu_seconds", Report.round(database))
                        .put("server_cpu_us_per_delivery", Report.round(cpu * 1e6 / Math.max(1, deliveredInWindow)))
                        .put("server_peak_rss_mib", serverAfter.peakRssKib() / 1024);
                report.line("  server: %.1f CPU s in the window%s = %.1f µs per delivery, %.0f%% of a core; "
                                + "peak RSS %,d MiB", cpu,
                        target.databasePid() > 0 ? " (of it PostgreSQL's processes %.1f)".formatted(database) : "",
                        cpu * 1e6 / Math.max(1, deliveredInWindow), cpu * 100 / seconds,
                        serverAfter.peakRssKib() / 1024);
            }
            double selfCpu = selfAfter.cpuSeconds() - selfBefore.cpuSeconds();
            report.put("client_cpu_seconds", Report.round(selfCpu));
            report.line("  load generator: %.1f CPU s in the window (%.0f%% of a core)", selfCpu,
                    selfCpu * 100 / seconds);
            return report;
        }
    }

    private String room(int r) {
        return scenario + "-" + run + "-" + r;
    }

    private void startSending(Chatter sender, int index) {
        int room = index % rooms;
        if (rate > 0) {
            long periodMicros = 1_000_000 / rate;
            long first = firstSendMicros(index, senders, periodMicros);
            // A send is timed from when it was due, not from when the timer got round to it: a generator (or
            // server) that falls behind would otherwise leave the wait out of every latency (coordinated
            // omission). The timer runs late ones back to back, each with its own due time.
            long start = System.nanoTime();
            long[] sent = {0};
            sender.link.every(first, periodMicros, TimeUnit.MICROSECONDS, () -> {
                long due = start + TimeUnit.MICROSECONDS.toNanos(first + sent[0]++ * periodMicros);
                if (sending) {
                    post(sender, room, due);
                }
            });
        } else {
            for (int i = 0; i < window; i++) {
                post(sender, room, System.nanoTime());
            }
        }
    }

    /**
     * When sender {@code index} of {@code senders} first posts: their first sends are spread evenly over one
     * period, as independent users' would be. Started together, every sender's timer fired in the same instant
     * and the server got all senders' messages in one burst each period, so latency measured the burst.
     */
    static long firstSendMicros(int index, int senders, long periodMicros) {
        return periodMicros + periodMicros * index / senders;
    }

    /** @param at when the message is counted as sent: its latencies run from then */
    private void post(Chatter sender, int room, long at) {
        String clientMsgId = sender.user + "-" + messageIds.incrementAndGet();
        inFlight.sent(clientMsgId, at, members[room]);
        sender.send(room(room), clientMsgId, "b" + at + " " + padding);
    }

    @Override
    public void receipt(Chatter chatter, String clientMsgId, long seq) {
        Long at = inFlight.receipt(clientMsgId);
        receipts.increment();
        if (measuring) {
            windowReceipts.increment();
        }
        if (at != null && at >= measureFrom && at < measureTo) {
            long took = System.nanoTime() - at;
            receiptLatency.recordValue(took);
            if (slowReceipts != null) {
                slowReceipts.receipt(took);
            }
        }
        if (rate == 0 && sending) {
            post(chatter, roomOfSender(chatter), System.nanoTime());
        }
    }

    @Override
    public void message(Chatter chatter, String room, long seq, String text, boolean isFresh) {
        if (!isFresh) {
            duplicates.increment();
            return;
        }
        fresh.increment();
        if (measuring) {
            windowDeliveries.increment();
        }
        long sentNanos = Long.parseLong(text, 1, text.indexOf(' '), 10);
        if (sentNanos >= measureFrom && sentNanos < measureTo) {
            deliveryLatency.recordValue(System.nanoTime() - sentNanos);
        }
    }

    @Override
    public void error(Chatter chatter, String frame) {
        errors.increment();
        // Unlike a receipt, a refusal posts no next message in window mode: that would loop on a busy server.
        inFlight.refused(Json.string(frame, "ref"), members[roomOfSender(chatter)]);
        if (measuring) {
            windowErrors.increment();
        }
        if (firstError == null) {
            firstError = frame;
        }
    }

    @Override
    public void closed(Chatter chatter, int code) {
        if (sending) {
            closedUnexpectedly.incrementAndGet();
            String who = Arrays.asList(senderChatters).contains(chatter) ? " (sender)" : "";
            closeCodes.computeIfAbsent(code + who, c -> new LongAdder()).increment();
        }
    }

    private int roomOfSender(Chatter sender) {
        return Integer.parseInt(sender.user.substring(sender.user.lastIndexOf('-') + 1)) % rooms;
    }

    /**
     * Waits, after the last send, for every receipt or refusal and every delivery (at most 30 s): what is
     * missing then is lost.
     */
    private void awaitEverything() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((inFlight.unanswered() > 0 || fresh.sum() < inFlight.expected()) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static double ms(Histogram nanos, double percentile) {
        return nanos.getValueAtPercentile(percentile) / 1e6;
    }
}
