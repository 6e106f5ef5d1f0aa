package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time and memory of a process, from Linux's /proc: what the kernel charged it, not what it says of itself.
 */
record ProcessStats(long pid, double cpuSeconds, long rssKib, long peakRssKib) {

    /** Clock ticks per second of /proc/PID/stat; 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final double TICKS = 100.0;

    static ProcessStats of(long pid) {
        try {
            String[] fields = fields(pid);
            if (fields == null) {
                throw new IOException("no such process");
            }
            double cpu = ticks(fields, 11, 12); // utime and stime: fields 14 and 15
            long rss = 0;
            long peak = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    peak = kib(line);
                }
            }
            return new ProcessStats(pid, cpu, rss, peak);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc of process " + pid + ": " + e.getMessage(), e);
        }
    }

    /**
     * CPU seconds of a process and of its children, live and ended: PostgreSQL's postmaster and the backends it
     * forks, one per connection, and its workers (checkpointer, WAL writer).
     */
    static double treeCpuSeconds(long pid) {
        String[] own = fields(pid);
        double cpu = own == null ? 0 : ticks(own, 11, 12, 13, 14);
        for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.children().toList()).orElse(List.of())) {
            String[] fields = fields(child.pid());
            if (fields != null) {
                cpu += ticks(fields, 11, 12);
            }
        }
        return cpu;
    }

    /**
     * The fields of /proc/PID/stat after the command name in parentheses (which may hold spaces): field 3, the
     * state, is [0]; null once the process ended.
     */
    private static String[] fields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }

    private static double ticks(String[] fields, int... at) {
        long sum = 0;
        for (int i : at) {
            sum += Long.parseLong(fields[i]);
        }
        return sum / TICKS;
    }

    static ProcessStats self() {
        return of(ProcessHandle.current().pid());
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
