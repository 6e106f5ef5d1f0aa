package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin REST API on the deployed WAR: who may use it, and what its operations do to live clients. */
@ExtendWith({PortsFree.class, ArquillianExtension.class})
@RunAsClient
class AdminIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Server.war();
    }

    @Test
    void onlyAdminsGetIn() throws Exception {
        assertEquals(401, get("api/admin/rooms", null).statusCode(), "no token");
        assertEquals(401, get("api/admin/rooms", "not-a-token").statusCode(), "a forged token");
        String guest = Server.guest(Server.unique("eve")).getString("token");
        HttpResponse<String> member = get("api/admin/rooms", guest);
        assertEquals(403, member.statusCode());
        assertEquals("forbidden", json(member.body()).getString("error"));
        assertEquals(403, post("api/admin/users/anybody/kick", guest, "{}").statusCode());
        assertEquals(200, get("api/admin/rooms", adminToken()).statusCode());
    }

    @Test
    void roomsAndConnectionsAreListedAndAKickClosesTheUsersConnectionsWith4503() throws Exception {
        String room = Server.unique("watched");
        String admin = adminToken();
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            String bobName = bob.seen().get(0).getString("user");
            JsonObject listed = array(get("api/admin/rooms", admin).body()).getValuesAs(JsonObject.class).stream()
                    .filter(r -> r.getString("room").equals(room)).findFirst().orElseThrow();
            assertEquals(2, listed.getInt("members"));
            assertEquals(2, listed.getInt("online"));
            assertEquals("public", listed.getString("access"));
            assertTrue(array(get("api/admin/connections", admin).body()).getValuesAs(JsonObject.class).stream()
                    .anyMatch(c -> c.getString("user").equals(bobName)));

            HttpResponse<String> kicked = post("api/admin/users/" + bobName + "/kick", admin, "{}");
            assertEquals(200, kicked.statusCode(), kicked.body());
            assertEquals(1, json(kicked.body()).getInt("connections"));
            assertEquals(4503, bob.awaitClose(WsClient.WAIT));
            // The others see bob go offline (await fails if that never comes).
            ann.await("presence", p -> p.getString("user").equals(bobName) && !p.getBoolean("online"));
        }
    }

    @Test
    void aNoticeIsASystemMessageEveryMemberReceives() throws Exception {
        String room = Server.unique("announced");
        String admin = adminToken();
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
            HttpResponse<String> posted = post("api/admin/rooms/" + room + "/notices", admin,
                    "{\"text\":\"Maintenance at 22:00 <b>UTC</b>\"}");
            assertEquals(201, posted.statusCode(), posted.body());
            JsonObject message = ann.await("message");
            assertEquals("system", message.getString("kind"));
            assertEquals("system", message.getString("from"));
            assertEquals("Maintenance at 22:00 <b>UTC</b>", message.getString("text"));
            assertEquals(json(posted.body()).getInt("seq"), message.getInt("seq"));
        }
        assertEquals(404, post("api/admin/rooms/" + Server.unique("nowhere") + "/notices", admin,
                "{\"text\":\"hello?\"}").statusCode());
        assertEquals(400, post("api/admin/rooms/" + room + "/notices", admin, "{\"text\":\" \"}").statusCode());
    }

    @Test
    void limitsChangeWithoutARestart() throws Exception {
        String admin = adminToken();
        String room = Server.unique("limited");
        JsonObject before = json(get("api/admin/limits", admin).body());
        assertEquals(4000, before.getInt("maxTextChars"));
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
            HttpResponse<String> changed = put("api/admin/limits", admin, "{\"maxTextChars\":50}");
            assertEquals(200, changed.statusCode(), changed.body());
            assertEquals(50, json(changed.body()).getInt("maxTextChars"));
            assertEquals(before.getInt("framesPerSecond"), json(changed.body()).getInt("framesPerSecond"));

            ann.send(WsClient.send("at", room, "x".repeat(50), "l-1"));
            ann.reply("at", "receipt");
            ann.send(WsClient.send("past", room, "x".repeat(51), "l-2"));
            assertEquals("too_large", ann.reply("past", "error").getString("code"), "the open connection too");

            assertEquals(400, put("api/admin/limits", admin, "{\"maxTextChars\":0}").statusCode());
            String guest = Server.guest(Server.unique("eve")).getString("token");
            assertEquals(403, put("api/admin/limits", guest, "{\"maxTextChars\":99999}").statusCode());
        } finally {
            assertEquals(200, put("api/admin/limits", admin, "{\"maxTextChars\":4000}").statusCode());
        }
    }

    private static String adminToken() throws Exception {
        HttpResponse<String> login = Server.post("api/auth/login", Json.createObjectBuilder().add("username", "admin")
                .add("password", System.getProperty("it.admin.password")).build().toString());
        assertEquals(200, login.statusCode(), login.body());
        return json(login.body()).getString("token");
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(Server.http(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(Server.http(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> put(String path, String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(Server.http(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    private static JsonArray array(String body) {
        return Json.createReader(new StringReader(body)).readArray();
    }
}
