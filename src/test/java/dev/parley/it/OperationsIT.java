package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an operator's monitoring sees: health (Payara: at the server's root; WildFly: on its management port,
 * {@code it.health.url}) and application metrics (Payara only: WildFly has no MicroProfile Metrics).
 */
@Tag("wildfly")
@ExtendWith({FreshServer.class, ArquillianExtension.class})
@RunAsClient
class OperationsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String COMMITS = "parley_store_commit_count";
    private static final String DELIVERIES = "parley_delivery_latency_count";
    private static final String BATCHES = "parley_store_batch_count";
    private static final String BATCHED = "parley_store_batch_messages_sum";

    @Test
    void readinessSaysTheDatabaseIsUpAndLivenessThatTheSweepRuns() throws Exception {
        HttpResponse<String> ready = health("ready");
        assertEquals(200, ready.statusCode(), ready.body());
        JsonObject check = check(ready.body(), "parley");
        assertEquals("UP", check.getString("status"));
        assertEquals("up", check.getJsonObject("data").getString("database"));

        HttpResponse<String> live = health("live");
        assertEquals(200, live.statusCode(), live.body());
        assertEquals("UP", check(live.body(), "parley-sweep").getString("status"));
        awaitFinishedSinceNow("lastSweepMillisAgo");
        awaitFinishedSinceNow("lastStoreTurnMillisAgo");
    }

    /** Each runs every second: one finishes after now, as liveness shows within a few seconds. */
    private static void awaitFinishedSinceNow(String figure) throws Exception {
        long began = System.nanoTime();
        long deadline = began + TimeUnit.SECONDS.toNanos(5);
        String body = "";
        while (System.nanoTime() < deadline) {
            long sinceBegan = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            body = health("live").body();
            if (figure(check(body, "parley-sweep"), figure) < sinceBegan) {
                return;
            }
            Server.pause(200);
        }
        throw new AssertionError(figure + ": nothing finished in 5 s; " + body);
    }

    @Test
    @Tag("mp-metrics")
    void metricsMoveWithTraffic() throws Exception {
        double stored = Server.metric("parley_messages_stored");
        double opened = Server.metric("parley_connections_opened");
        double commits = Server.metric(COMMITS);
        double deliveries = Server.metric(DELIVERIES);
        double batches = Server.metric(BATCHES);
        double batched = Server.metric(BATCHED);
        // The run's classes share the server: a database outage (OutageIT) fails what is being stored then.
        double refused = Server.metric("parley_store_refused");
        double failed = Server.metric("parley_store_failed");
        String room = Server.unique("metered");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            assertTrue(Server.metric("parley_connections_open") >= 2);
            for (int i = 0; i < 3; i++) {
                ann.send(WsClient.send("s" + i, room, "counted " + i, "count-" + i));
                ann.reply("s" + i, "receipt");
                bob.await("message");
            }
            ann.send(WsClient.send("again", room, "counted 0", "count-0"));
            ann.reply("again", "receipt");
        }
        assertEquals(stored + 3, Server.metric("parley_messages_stored"), "three stored; the repeated send is not");
        assertEquals(opened + 2, Server.metric("parley_connections_opened"));
        assertTrue(Server.metric(COMMITS) >= commits + 4, "every send's store transaction is timed");
        assertEquals(deliveries + 3, Server.metric(DELIVERIES), "the fan-out of each new message is timed");
        // Each send waited for its receipt before the next went: four group commits at least, with the four in them.
        assertTrue(Server.metric(BATCHES) >= batches + 4, "every group commit is timed");
        assertTrue(Server.metric(BATCHED) >= batched + 4, "every message is counted in its group commit");
        assertEquals(0, Server.awaitMetric("parley_outbound_queue_max_chars", "", 0, WsClient.WAIT),
                "nothing waits for a reader once all is read");
        assertEquals(0, Server.awaitMetric("parley_store_waiting", "", 0, WsClient.WAIT),
                "nothing waits to be stored once every receipt came");
        assertEquals(refused, Server.metric("parley_store_refused"), "no send was refused for a store behind");
        assertEquals(failed, Server.metric("parley_store_failed"), "nor failed");
    }

    /** The admin's kick and ban close connections with codes of their own: each is counted under its code. */
    @Test
    @Tag("mp-metrics")
    void kicksAndBansAreCountedByTheirCloseCodes() throws Exception {
        String kicked = "code=\"" + 4503 + "\"";
        String banned = "code=\"" + 4504 + "\"";
        double kicks = Server.metric("parley_connections_closed", kicked);
        double bans = Server.metric("parley_connections_closed", banned);
        String admin = Server.adminToken();
        JsonObject kim = Server.guest(Server.unique("kim"));
        try (WsClient kimsPhone = WsClient.hello(Server.ws(), kim.getString("token"))) {
            adminCall("POST", "api/admin/users/" + kim.getString("user") + "/kick", admin);
            assertEquals(4503, kimsPhone.awaitClose(WsClient.WAIT));
        }
        try (WsClient kimsLaptop = WsClient.hello(Server.ws(), kim.getString("token"))) {
            adminCall("PUT", "api/admin/users/" + kim.getString("user") + "/ban", admin);
            assertEquals(4504, kimsLaptop.awaitClose(WsClient.WAIT));
        } finally {
            adminCall("DELETE", "api/admin/users/" + kim.getString("user") + "/ban", admin);
        }
        assertEquals(kicks + 1, Server.awaitMetric("parley_connections_closed", kicked, kicks + 1, WsClient.WAIT));
        assertEquals(bans + 1, Server.awaitMetric("parley_connections_closed", banned, bans + 1, WsClient.WAIT));
    }

    /** A client may close with a code of its own (the page's 4000 for a silent socket): counted as "other". */
    @Test
    @Tag("mp-metrics")
    void aClientsOwnCloseCodeIsCountedAsOther() throws Exception {
        double others = Server.metric("parley_connections_closed", "code=\"other\"");
        try (WsClient page = WsClient.hello(Server.ws(), Server.guest(Server.unique("pat")).getString("token"))) {
            assertEquals(4000, page.closeWith(4000), "the server answers the close with its code");
        }
        assertEquals(others + 1, Server.awaitMetric("parley_connections_closed", "code=\"other\"", others + 1,
                WsClient.WAIT));
    }

    private static void adminCall(String method, String path, String token) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(Server.http(path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() / 100 == 2, method + " " + path + ": " + response.statusCode() + " "
                + response.body());
    }

    private static HttpResponse<String> health(String kind) throws Exception {
        String base = System.getProperty("it.health.url", "http://127.0.0.1:" + System.getProperty("it.http.port")
                + "/health");
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/" + kind)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + System.getProperty("it.http.port")
                + "/" + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A figure of a check's data, which MicroProfile Health may give as a JSON number or a string. */
    private static long figure(JsonObject check, String name) {
        JsonValue value = check.getJsonObject("data").get(name);
        assertNotNull(value, name + " in " + check);
        return value instanceof JsonString text ? Long.parseLong(text.getString()) : ((JsonNumber) value).longValue();
    }

    private static JsonObject check(String body, String name) {
        return Json.createReader(new StringReader(body)).readObject().getJsonArray("checks")
                .getValuesAs(JsonObject.class).stream().filter(c -> c.getString("name").equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no check " + name + " in " + body));
    }
}
