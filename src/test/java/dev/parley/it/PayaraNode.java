package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Payara Micro of a test's own, outside Arquillian (which cannot stop or kill its server in the middle of
 * a test): the suite's WAR at context root {@code /parley} with the suite's JVM options (without its JMX
 * port), on 127.0.0.1 and a port of its own; its output goes to a log file beside its data folder. Stopped by
 * its own process handle, never by name.
 */
final class PayaraNode implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(180);
    /** A probe the node accepted but did not answer is asked again, not waited on past the start's deadline. */
    private static final Duration PROBE = Duration.ofSeconds(10);
    /** A running thread whose top frame waits for I/O or for work: a selector, an acceptor, a watcher. */
    private static final Pattern IDLE = Pattern.compile(
            "State: RUNNABLE\\s+at [^\\n]*(EPoll|accept|read0|Net\\.poll|WatchService|ReferencePending)");

    private final int port;
    private final Process process;
    private final File log;

    private PayaraNode(int port, Process process, File log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the node and returns once it serves the page.
     *
     * @param extraJvm JVM options besides the suite's (after them, so they win)
     * @param micro Payara Micro options besides deploy, context root, port and the pre-boot file
     */
    static PayaraNode start(Path data, int port, List<String> extraJvm, List<String> micro) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        Arrays.stream(System.getProperty("it.server.jvm").trim().split("\\s+"))
                .filter(option -> !option.startsWith("-Dcom.sun.management.jmxremote")).forEach(command::add);
        command.addAll(extraJvm);
        command.addAll(List.of("-Dparley.data.dir=" + data, "-jar", System.getProperty("payara.microJar"),
                "--deploy", System.getProperty("parley.war"), "--contextroot", "parley", "--port",
                String.valueOf(port), "--prebootcommandfile", System.getProperty("it.payara.preboot")));
        command.addAll(micro);
        Files.createDirectories(data);
        File log = data.resolveSibling(data.getFileName() + "-payara.log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        PayaraNode node = new PayaraNode(port, process, log);
        node.awaitPage();
        return node;
    }

    private void awaitPage() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START.toNanos();
        String lastAnswer = "none";
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), "Payara Micro exited; see " + log);
            try {
                HttpResponse<Void> page = http.send(HttpRequest.newBuilder(http("")).timeout(PROBE).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (page.statusCode() == 200) {
                    return;
                }
                lastAnswer = "HTTP " + page.statusCode();
            } catch (IOException notYet) {
                lastAnswer = notYet.toString();
            }
            Server.pause(500);
        }
        throw new AssertionError("Payara Micro did not serve the page within " + START + " (last answer: "
                + lastAnswer + "); see " + log + "\n" + reportOfAHang());
    }

    /**
     * What a node that did not come up was doing, for a CI run whose files are gone afterwards: its busy threads
     * and its log's last lines. The node is killed after its threads are dumped, so it does not run on
     * beside the rest of the suite.
     */
    private String reportOfAHang() throws IOException, InterruptedException {
        Path threads = log.toPath().resolveSibling(log.getName() + ".threads");
        boolean dumped = false;
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(process.pid()), "Thread.print").redirectErrorStream(true)
                    .redirectOutput(threads.toFile()).start();
            dumped = jcmd.waitFor(30, TimeUnit.SECONDS);
            jcmd.destroyForcibly();
        } finally {
            kill();
        }
        List<String> busy = dumped ? busyThreads(text(threads)) : List.of("(no dump within 30 s)");
        List<String> said = text(log.toPath()).lines()
                .map(line -> line.replaceAll("\u001b\\[[0-9;]*m", ""))
                .filter(line -> !line.isBlank() && !line.startsWith("\tat "))
                .map(line -> line.length() > 240 ? line.substring(0, 240) + "..." : line).toList();
        return "threads at work or waiting on a lock, and main:\n" + String.join("\n", busy)
                + "\nlast lines of the log:\n"
                + String.join("\n", said.subList(Math.max(0, said.size() - 25), said.size()));
    }

    /** A file's text, with any bytes that are not UTF-8 replaced rather than failing the report. */
    private static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /**
     * The threads of a dump that are running, blocked on a monitor, or are {@code main} (which waits on the
     * deployment's workers), each cut to its top frames; idle pool and selector threads are left out.
     */
    private static List<String> busyThreads(String dump) {
        return Arrays.stream(dump.split("\n\\s*\n")).filter(thread -> thread.contains("\tat "))
                .filter(thread -> thread.startsWith("\"main\"") || thread.contains("State: BLOCKED")
                        || thread.contains("State: RUNNABLE") && !IDLE.matcher(thread).find())
                .map(thread -> thread.lines().limit(16).collect(Collectors.joining("\n")))
                .limit(12).toList();
    }

    int port() {
        return port;
    }

    URI http(String path) {
        return URI.create("http://127.0.0.1:" + port + "/parley/" + path);
    }

    URI ws() {
        return URI.create("ws://127.0.0.1:" + port + "/parley/ws");
    }

    /** What a monitoring probe sees at the server's root, e.g. {@code health/ready}. */
    URI root(String path) {
        return URI.create("http://127.0.0.1:" + port + "/" + path);
    }

    /** SIGTERM, as an operator stops it: the application closes its connections with 1001 on the way out. */
    void stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** SIGKILL: the node is gone at once, without a word to anybody. */
    void kill() throws InterruptedException {
        if (!process.destroyForcibly().waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + port + " (pid " + process.pid() + ") outlived SIGKILL by 30 s");
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** A free port below the kernel's ephemeral range, where no outgoing connection can take it meanwhile. */
    static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
            try (ServerSocket socket = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // Try another.
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000");
    }
}
