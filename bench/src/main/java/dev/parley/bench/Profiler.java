package dev.parley.bench;

import java.io.IOException;

/**
 * {@code --jfr FILE}: a Flight Recorder profile of the server over the measured window, started with jcmd
 * (the JDK's own; the server must be a JVM of the same user). Read it with {@code jfr print} or JDK Mission
 * Control.
 */
final class Profiler {

    private Profiler() {
    }

    static void start(Target target, Options options, long seconds) {
        String file = options.text("jfr", "");
        if (file.isEmpty() || target.pid() <= 0) {
            return;
        }
        String jcmd = System.getProperty("java.home") + "/bin/jcmd";
        try {
            Process process = new ProcessBuilder(jcmd, Long.toString(target.pid()), "JFR.start", "settings=profile",
                    "duration=" + seconds + "s", "filename=" + file).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("jcmd JFR.start exited with " + process.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + jcmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
