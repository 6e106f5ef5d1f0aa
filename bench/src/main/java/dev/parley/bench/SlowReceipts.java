package dev.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code --slow-receipts FILE}: when each receipt of the measured window slower than {@code --slow-ms} (default
 * 10) was sent, as UTC milliseconds, and how long it took, one per line. Put beside the server's GC log or its
 * timers, the times say what the slow ones had in common. At most {@link #MOST} lines.
 */
final class SlowReceipts {

    static final int MOST = 200_000;

    private final Path file;
    private final long thresholdNanos;
    private final ConcurrentLinkedQueue<long[]> slow = new ConcurrentLinkedQueue<>();
    private final AtomicInteger kept = new AtomicInteger();

    private SlowReceipts(Path file, long thresholdNanos) {
        this.file = file;
        this.thresholdNanos = thresholdNanos;
    }

    /** The log the options ask for, or null when they ask for none. */
    static SlowReceipts of(Options options) {
        String file = options.text("slow-receipts", "");
        long thresholdMillis = options.number("slow-ms", 10);
        return file.isEmpty() ? null : new SlowReceipts(Path.of(file), thresholdMillis * 1_000_000);
    }

    void receipt(long tookNanos) {
        if (tookNanos >= thresholdNanos && kept.incrementAndGet() <= MOST) {
            long sentMillis = System.currentTimeMillis() - tookNanos / 1_000_000;
            slow.add(new long[] {sentMillis, tookNanos / 1_000});
        }
    }

    void write() {
        List<String> lines = new ArrayList<>();
        for (long[] one : slow) {
            lines.add(one[0] + " " + one[1]);
        }
        lines.sort(null);
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
