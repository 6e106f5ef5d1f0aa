package dev.parley.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --jfr FILE}: a Flight Recorder profile of the server over the measured window (resume: the first 10 s
 * of the catch-up), started with jcmd (the JDK's own; the server must be a JVM of the same user). Read it with
 * {@code jfr print} or JDK Mission Control. {@code --jfr-settings default} records less than the {@code profile}
 * settings and disturbs a busy server less. {@code --histogram FILE} (connect): the server's live objects by
 * class before the connections ({@code FILE.before}) and after they settled, to see what a connection keeps.
 * Both ask the server through jcmd, so they need a JVM: Parley.
 */
final class Profiler {

    private Profiler() {
    }

    static void start(Target target, Options options, long seconds) {
        String file = options.text("jfr", "");
        if (!file.isEmpty() && target.pid() > 0) {
            jcmd(target, null, "JFR.start", "settings=" + options.text("jfr-settings", "profile"),
                    "duration=" + seconds + "s", "filename=" + file);
        }
    }

    /**
     * A class histogram of the live heap (jcmd forces a full collection first), when {@code --histogram}: the
     * live heap's bytes, or -1 when not asked.
     */
    static long histogram(Target target, Options options, String suffix) {
        String file = options.text("histogram", "");
        if (file.isEmpty() || target.pid() <= 0) {
            return -1;
        }
        File histogram = new File(file + suffix);
        jcmd(target, histogram, "GC.class_histogram");
        try {
            return totalBytes(Files.readAllLines(histogram.toPath()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + histogram + ": " + e.getMessage(), e);
        }
    }

    /** The bytes of a histogram's last line, {@code Total <instances> <bytes>}. */
    static long totalBytes(List<String> histogram) {
        for (int i = histogram.size() - 1; i >= 0; i--) {
            String[] words = histogram.get(i).trim().split("\\s+");
            if (words.length == 3 && words[0].equals("Total")) {
                return Long.parseLong(words[2]);
            }
        }
        throw new IllegalArgumentException("no Total line in the class histogram");
    }

    private static void jcmd(Target target, File output, String... command) {
        if (!target.server().equals("parley")) {
            // jcmd asks a process to open its attach listener with SIGQUIT, which ends a Node process.
            throw new IllegalArgumentException("--jfr and --histogram need a JVM: the server is " + target.server());
        }
        String jcmd = System.getProperty("java.home") + "/bin/jcmd";
        List<String> line = new ArrayList<>(List.of(jcmd, Long.toString(target.pid())));
        line.addAll(List.of(command));
        try {
            ProcessBuilder builder = new ProcessBuilder(line).inheritIO();
            if (output != null) {
                builder.redirectOutput(output);
            }
            Process process = builder.start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("jcmd " + command[0] + " exited with " + process.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + jcmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
