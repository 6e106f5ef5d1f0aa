package dev.parley.bench;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Many idle connections, each a different signed-in user: how long they take to open, how many fail, and what
 * each costs the server in resident memory (RSS after they settled, minus RSS before; the heap is fixed by the
 * run script). Part of that can be pages of the fixed heap first touched by the sign-ins' garbage, so with
 * {@code --histogram} the live heap's growth per connection is reported too: what the connections keep.
 */
final class Connect {

    private final Target target;
    private final Options options;
    private final int connections;
    private final int parallel;
    private final long settleSeconds;
    private final int threads;

    Connect(Target target, Options options) {
        this.target = target;
        this.options = options;
        this.connections = options.count("connections", 15_000);
        this.parallel = options.count("parallel", 200);
        this.settleSeconds = options.number("settle", 10);
        this.threads = options.count("client-threads", Runtime.getRuntime().availableProcessors());
    }

    Report run() throws InterruptedException {
        if (target.pid() <= 0) {
            throw new IllegalArgumentException("connect measures the server's memory: --server-pid is required");
        }
        try (Loops loops = new Loops(threads)) {
            long liveBefore = Profiler.histogram(target, options, ".before");
            ProcessStats before = ProcessStats.of(target.pid());
            long start = System.nanoTime();
            Crowd crowd = Crowd.gather(target, loops, "c" + UUID.randomUUID().toString().substring(0, 6) + "-",
                    connections, i -> null, new Chatter.Events() { }, parallel);
            double openSeconds = (System.nanoTime() - start) / 1e9;
            // Memory settles after the burst: buffers of the handshakes are released, the heap is collected.
            TimeUnit.SECONDS.sleep(settleSeconds);
            ProcessStats after = ProcessStats.of(target.pid());
            long liveAfter = Profiler.histogram(target, options, ""); // after the RSS: its collection changes it
            int open = connections - crowd.failures.get();
            double kibPerConnection = (after.rssKib() - before.rssKib()) / (double) Math.max(1, open);
            crowd.close();
            Report report = new Report("connect", target, options)
                    .put("connected", open)
                    .put("connect_failures", crowd.failures.get())
                    .put("open_seconds", Report.round(openSeconds))
                    .put("server_rss_before_mib", before.rssKib() / 1024)
                    .put("server_rss_after_mib", after.rssKib() / 1024)
                    .put("server_kib_per_connection", Report.round(kibPerConnection))
                    .line("connect on %s: %,d connections opened in %.1f s, %d failed%s", target.server(), open,
                            openSeconds, crowd.failures.get(),
                            crowd.firstFailure == null ? "" : " (first: " + crowd.firstFailure + ")")
                    .line("  server RSS %,d MiB before, %,d MiB after %d s: %.1f KiB per connection",
                            before.rssKib() / 1024, after.rssKib() / 1024, settleSeconds, kibPerConnection);
            if (liveBefore >= 0) {
                // The RSS of a fixed heap grows as the run first touches its pages, garbage or not: what the
                // connections keep is the live heap's growth.
                double liveKib = (liveAfter - liveBefore) / 1024.0 / Math.max(1, open);
                report.put("server_live_kib_per_connection", Report.round(liveKib))
                        .line("  server live heap %,d MiB before, %,d MiB after: %.1f KiB per connection",
                                liveBefore >> 20, liveAfter >> 20, liveKib);
            }
            return report;
        }
    }
}
