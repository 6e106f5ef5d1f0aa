package dev.parley.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The Parley under test: the WAR that the build packaged, on a loopback port the build reserved. */
public final class Server {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Server() {
    }

    /** The packaged WAR, as a user deploys it. Arquillian deploys it at context root {@code /parley}. */
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

    public static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(http(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
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
