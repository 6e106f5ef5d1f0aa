package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The test server's log ({@code it.server.log}, its files oldest first, rotated or not), read from a mark on.
 * The run's server writes it for every test class, so a test marks where its own part begins: a failed login
 * under a name no one used, which the server logs as "failed login for NAME".
 */
final class ServerLog {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private ServerLog() {
    }

    /** A line the test server logs now; the prefix only helps a reader of the log find it. */
    static String mark(String prefix) throws Exception {
        String nobody = Server.unique(prefix);
        HttpResponse<String> refused = Server.post("api/auth/login", Json.createObjectBuilder()
                .add("username", nobody).add("password", "not-a-password").build().toString());
        assertEquals(401, refused.statusCode(), refused.body());
        return "failed login for " + nobody;
    }

    /** Fails unless the server logged no warning (or worse) after {@code mark} and before a mark made now. */
    static void assertNoWarningSince(String mark) throws Exception {
        String now = mark("now");
        String all = awaitAfter(mark, now);
        int start = all.lastIndexOf(mark) + mark.length();
        String logged = all.substring(start, all.indexOf(now, start));
        assertFalse(logged.contains("WARNING") || logged.contains("SEVERE"), logged);
    }

    /** Waits until the log holds {@code text} after {@code mark}; returns the whole log read then. */
    static String awaitAfter(String mark, String text) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String all = read();
            int at = all.lastIndexOf(mark);
            if (at >= 0 && all.indexOf(text, at + mark.length()) >= 0) {
                return all;
            }
            assertTrue(System.nanoTime() < deadline, "the server's log does not say, after " + mark + ": " + text);
            Server.pause(100);
        }
    }

    /**
     * Waits until the log holds {@code text} anywhere: for what the server logs once in its life (a finding, when
     * it first meets it), which an earlier test class of the run may have made it log.
     */
    static void awaitOnce(String text) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!read().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "the server's log does not say: " + text);
            Server.pause(100);
        }
    }

    private static String read() {
        Path log = Path.of(System.getProperty("it.server.log"));
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(log.getParent())) {
            for (Path file : files.filter(file -> file.getFileName().toString()
                    .startsWith(log.getFileName().toString()))
                    .sorted(Comparator.comparing(ServerLog::modified)).toList()) {
                all.append(Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException gone) {
            throw new UncheckedIOException(gone);
        }
    }
}
