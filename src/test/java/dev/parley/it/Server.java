package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The Parley under test: the WAR that the build packaged, on a loopback port the build reserved. */
public final class Server {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The admin the test server makes at its start ({@code parley.admin.user}'s default). */
    public static final String ADMIN = "admin";

    private Server() {
    }

    /**
     * The packaged WAR, as a user deploys it. Arquillian deploys it at context root {@code /parley}, once for every
     * test class of a failsafe run (arquillian.xml names this class to the suite extension).
     */
    @Deployment(testable = false)
    public static WebArchive war() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("parley.war")));
    }

    /** Built on 127.0.0.1 whatever host name the server reports. */
    public static URI http(String path) {
        return URI.create("http://127.0.0.1:" + System.getProperty("it.http.port") + "/parley/" + path);
    }

    public static URI ws() {
        return URI.create("ws://127.0.0.1:" + System.getProperty("it.http.port") + "/parley/ws");
    }

    /** A name no earlier run used: the test database outlives a build. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** {@code POST /api/auth/register}. */
    public static HttpResponse<String> register(String user, String password) throws Exception {
        return post("api/auth/register", credentials(user, password));
    }

    /** {@code POST /api/auth/login}. */
    public static HttpResponse<String> login(String user, String password) throws Exception {
        return post("api/auth/login", credentials(user, password));
    }

    /** The body of a registration or a login. */
    public static String credentials(String user, String password) {
        return Json.createObjectBuilder().add("username", user).add("password", password).build().toString();
    }

    public static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(http(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A POST with the bearer token. */
    public static HttpResponse<String> post(String path, String token, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(http(path)).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with the bearer token, or none when it is null. */
    public static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(http(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> put(String path, String token, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(http(path)).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> delete(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(http(path)).header("Authorization", "Bearer " + token)
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Puts the runtime limits back to the configured ones when closed (they are stored: the server would keep the
     * test's for good): a test that changes them over the admin API opens this first, so that the server's other
     * tests run under the configured limits again. Declared in try-with-resources, a failure to put them back is
     * added to the test's own failure instead of hiding it.
     */
    public static AutoCloseable restoringLimits(String adminToken) {
        return () -> {
            HttpResponse<String> restored = delete("api/admin/limits", adminToken);
            if (restored.statusCode() != 200) {
                throw new AssertionError("the limits were not put back: " + restored.statusCode() + " "
                        + restored.body());
            }
        };
    }

    /**
     * Lifts the limit on frames a connection sends, for connections opened until the handle is closed (a
     * connection's rate is set when it opens), which puts the configured limits back.
     */
    public static AutoCloseable framesUnlimited() throws Exception {
        String admin = adminToken();
        AutoCloseable restoring = restoringLimits(admin);
        HttpResponse<String> faster = put("api/admin/limits", admin,
                "{\"framesPerSecond\":1000000,\"frameBurst\":1000000}");
        assertEquals(200, faster.statusCode(), faster.body());
        return restoring;
    }

    /**
     * One sender posts each text to its room, faster than a person may send (the limits are raised meanwhile),
     * {@code window} sends at a time, each window waiting for its receipts.
     *
     * @param texts room and text, in the order they are posted
     */
    public static void postAsFastAsReceiptsCome(List<Map.Entry<String, String>> texts, int window) throws Exception {
        try (AutoCloseable unlimited = framesUnlimited()) {
            List<String> rooms = texts.stream().map(Map.Entry::getKey).distinct().toList();
            try (WsClient poster = WsClient.joined(unique("poster"), rooms.get(0))) {
                for (String room : rooms.subList(1, rooms.size())) {
                    poster.send(WsClient.frame("join").add("ref", "join-" + room).add("room", room));
                    poster.reply("join-" + room, "joined");
                }
                for (int from = 0; from < texts.size(); from += window) {
                    Set<String> refs = new HashSet<>();
                    for (int i = from; i < Math.min(texts.size(), from + window); i++) {
                        String ref = "m" + i;
                        poster.send(WsClient.send(ref, texts.get(i).getKey(), texts.get(i).getValue(), ref));
                        refs.add(ref);
                    }
                    poster.replies(refs, "receipt");
                }
            }
        }
    }

    /** The limits in force, as {@code GET /api/admin/limits} gives them ({@code framesPerSecond}, ...). */
    public static JsonObject limits() throws Exception {
        HttpResponse<String> limits = get("api/admin/limits", adminToken());
        assertEquals(200, limits.statusCode(), limits.body());
        return Json.createReader(new StringReader(limits.body())).readObject();
    }

    /** The operator's token (the password the build gave the server). */
    public static String adminToken() throws Exception {
        HttpResponse<String> login = login(ADMIN, System.getProperty("it.admin.password"));
        if (login.statusCode() != 200) {
            throw new AssertionError("admin login answered " + login.statusCode() + ": " + login.body());
        }
        return Json.createReader(new StringReader(login.body())).readObject().getString("token");
    }

    /** The value of an application metric in the Prometheus text that /metrics serves (Payara only). */
    public static double metric(String name) throws Exception {
        return metric(name, "");
    }

    /** The value of the series of an application metric that has the label {@code label}, e.g. {@code code="4008"}. */
    public static double metric(String name, String label) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + System.getProperty("it.http.port") + "/metrics?scope=application")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().lines()
                .filter(line -> label.isEmpty() ? line.startsWith(name + " ") || line.startsWith(name + "{")
                        : line.startsWith(name + "{") && labels(line).contains(label))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in\n" + response.body()));
    }

    /**
     * The series' value once it is {@code expected}, or its last within {@code within}: the server counts a
     * close when its side of the connection ends, which may be after the client saw the close frame, and lets
     * a gauge fall after the answer the client waited for (a send is unanswered until its receipt went out).
     */
    public static double awaitMetric(String name, String label, double expected, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        double value = metric(name, label);
        while (value != expected && System.nanoTime() < deadline) {
            pause(200);
            value = metric(name, label);
        }
        return value;
    }

    /** A series' labels, {@code name{a="1",b="2"} 3.0} → [a="1", b="2"]: a label is matched whole, not in part. */
    private static List<String> labels(String line) {
        return List.of(line.substring(line.indexOf('{') + 1, line.indexOf('}')).split(","));
    }

    /** A guest token for a fresh nickname: {token, user, expiresAt}. */
    public static JsonObject guest(String nickname) throws Exception {
        HttpResponse<String> response = post("api/auth/guest", "{\"nickname\":\"" + nickname + "\"}");
        if (response.statusCode() != 200) {
            throw new AssertionError("guest login answered " + response.statusCode() + ": " + response.body());
        }
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    /** Paces a client (under the rate limit, between retries); never stands in for waiting on an outcome. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
