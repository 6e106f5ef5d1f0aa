package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The database goes away under a running node (the test stops the run's PostgreSQL): the node says it is
 * not ready, clients get an error for what needs the database and keep their connection, and when the
 * database is back the node is ready again and the message that failed goes through once.
 */
@ExtendWith({FreshServer.class, ArquillianExtension.class})
@RunAsClient
@Tag("outage")
class OutageIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theNodeIsNotReadyWhileTheDatabaseIsDownAndReadyAgainWhenItIsBack() throws Exception {
        assertTrue(TestEnvironment.hasPostgres(), "runs in the PostgreSQL run only (tag outage)");
        String room = Server.unique("outage");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            assertEquals(200, readyStatus());
            double failedBefore = Server.metric("parley_store_failed");

            TestEnvironment.stopPostgres();
            try {
                HttpResponse<String> notReady = awaitReady(503);
                assertNotEquals("up", check(notReady.body()).getJsonObject("data").getString("database"));
                assertEquals(200, get("health/live").statusCode(), "alive: a restart would not bring the database");

                ann.send(WsClient.send("lost", room, "while the database is away", "outage-1"));
                assertEquals("internal", ann.reply("lost", "error").getString("code"));
                assertFalse(ann.isClosed(), "the connection stays");
                assertEquals(failedBefore + 1, Server.metric("parley_store_failed"), "the operator sees it counted");
            } finally {
                TestEnvironment.startPostgres();
            }

            awaitReady(200);
            ann.send(WsClient.send("again", room, "while the database is away", "outage-1"));
            long seq = ann.reply("again", "receipt").getJsonNumber("seq").longValue();
            JsonObject received = bob.await("message");
            assertEquals("while the database is away", received.getString("text"));
            assertEquals(seq, received.getJsonNumber("seq").longValue());
        }
    }

    /** Polls readiness until it answers with the status, as a load balancer's health check would. */
    private static HttpResponse<String> awaitReady(int status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> last = get("health/ready");
        while (last.statusCode() != status && System.nanoTime() < deadline) {
            Server.pause(200);
            last = get("health/ready");
        }
        assertEquals(status, last.statusCode(), "readiness within " + WAIT + ": " + last.body());
        return last;
    }

    private static int readyStatus() throws Exception {
        return get("health/ready").statusCode();
    }

    private static JsonObject check(String body) {
        return Json.createReader(new StringReader(body)).readObject().getJsonArray("checks")
                .getValuesAs(JsonObject.class).stream().filter(c -> c.getString("name").equals("parley"))
                .findFirst().orElseThrow(() -> new AssertionError("no check parley in " + body));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + System.getProperty("it.http.port")
                + "/" + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
