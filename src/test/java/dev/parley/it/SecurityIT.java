package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.security.PasswordChecks;
import dev.parley.security.TokenService;
import dev.parley.transport.BodyLimit;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Accounts and room access on the deployed WAR, tried the way a hostile client would. */
@Tag("wildfly")
@ExtendWith({FreshServer.class, ArquillianExtension.class})
@RunAsClient
class SecurityIT {

    /** The pages, their scripts and the API come with what a browser needs to keep them to this server. */
    @Test
    void pagesComeWithTheirSecurityHeaders() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("", "index.html", "app.js", "admin.html", "style.css", "api/auth/nobody")) {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(Server.http(path)).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(Optional.of("default-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                    + "form-action 'self'; frame-ancestors 'none'"),
                    response.headers().firstValue("Content-Security-Policy"), path);
            assertEquals(Optional.of("nosniff"), response.headers().firstValue("X-Content-Type-Options"), path);
            assertEquals(Optional.of("DENY"), response.headers().firstValue("X-Frame-Options"), path);
            assertEquals(Optional.of("no-referrer"), response.headers().firstValue("Referrer-Policy"), path);
        }
    }

    @Test
    void registerAndLoginAnswerAsTheContractSays() throws Exception {
        String name = Server.unique("alice");
        assertEquals(400, Server.register("ab", "long enough").statusCode(), "name too short");
        assertEquals(400, Server.register(name, "7 chars").statusCode(), "password too short");
        assertEquals(400, Server.register("guest-" + name, "long enough").statusCode(), "guest names are anybody's");
        assertEquals(400, Server.post("api/auth/register", "{\"username\":").statusCode(), "not JSON");

        HttpResponse<String> created = Server.register(name, "correct horse");
        assertEquals(201, created.statusCode());
        assertEquals(name, json(created).getString("user"));
        assertFalse(created.body().contains("correct horse"));
        assertEquals(409, Server.register(name, "another password").statusCode());
        HttpResponse<String> noPassword = Server.post("api/auth/login", "{\"username\":\"" + name + "\"}");
        assertEquals(400, noPassword.statusCode(), "a login without its password is the client's mistake");
        assertEquals("username and password are required", json(noPassword).getString("message"));
        assertEquals(400, Server.post("api/auth/login", "{}").statusCode());
        HttpResponse<String> emptyRegistration = Server.post("api/auth/register", "{}");
        assertEquals(400, emptyRegistration.statusCode());
        assertEquals("username and password are required", json(emptyRegistration).getString("message"));

        HttpResponse<String> ok = Server.login(name, "correct horse");
        assertEquals(200, ok.statusCode());
        assertEquals("no-store", ok.headers().firstValue("Cache-Control").orElse(null), "nothing on the way keeps it");
        JsonObject token = json(ok);
        assertEquals(name, token.getString("user"));
        assertTrue(token.getString("expiresAt").endsWith("Z"));
        try (WsClient client = WsClient.hello(Server.ws(), token.getString("token"))) {
            assertEquals(name, client.user());
        }
        HttpResponse<String> guest = Server.post("api/auth/guest", "{\"nickname\":\"" + name + "\"}");
        assertEquals(200, guest.statusCode(), guest.body());
        assertEquals("no-store", guest.headers().firstValue("Cache-Control").orElse(null), "a guest's token too");
    }

    /** A new password signs out everywhere else: the tokens of before stop working, and their connections close. */
    @Test
    void aNewPasswordEndsTheTokensAndConnectionsOfBefore() throws Exception {
        String name = Server.unique("carol");
        assertEquals(201, Server.register(name, "correct horse").statusCode());
        String before = json(Server.login(name, "correct horse")).getString("token");
        try (WsClient stolen = WsClient.hello(Server.ws(), before)) {
            assertEquals(401, newPassword(name, "correct horsE", "battery staple").statusCode(), "wrong password");
            assertEquals(400, newPassword(name, "correct horse", "7 chars").statusCode(), "too short");
            HttpResponse<String> noNewPassword = Server.post("api/auth/password", Json.createObjectBuilder()
                    .add("username", name).add("password", "correct horse").build().toString());
            assertEquals(400, noNewPassword.statusCode(), "no new password");
            assertEquals("username, password and newPassword are required", json(noNewPassword).getString("message"));
            stolen.send(Json.createObjectBuilder().add("type", "ping").add("ref", "p").build());
            stolen.reply("p", "pong");

            HttpResponse<String> changed = newPassword(name, "correct horse", "battery staple");
            assertEquals(200, changed.statusCode(), changed.body());
            assertEquals("no-store", changed.headers().firstValue("Cache-Control").orElse(null), "a token");
            assertEquals(name, json(changed).getString("user"));
            assertEquals(4501, stolen.awaitClose(WsClient.WAIT), "the connection of before");
            try (WsClient again = WsClient.connect(Server.ws())) {
                again.send(WsClient.frame("hello").add("ref", "h").add("token", before));
                assertEquals(4501, again.awaitClose(WsClient.WAIT), "the token of before");
            }
            try (WsClient after = WsClient.hello(Server.ws(), json(changed).getString("token"))) {
                assertEquals(name, after.user());
            }
        }
        assertEquals(401, Server.login(name, "correct horse").statusCode());
        assertEquals(200, Server.login(name, "battery staple").statusCode());
    }

    /**
     * A user deletes their account: 204, its connections close (4501, saying why), its tokens stop working, its
     * rooms no longer list it, and the name neither signs in nor is registered again. The first admin's is kept.
     */
    @Test
    void aDeletedAccountSignsOutEverywhereAndKeepsItsName() throws Exception {
        String name = Server.unique("dora");
        String room = Server.unique("left_behind");
        assertEquals(201, Server.register(name, "correct horse").statusCode());
        String token = json(Server.login(name, "correct horse")).getString("token");
        try (WsClient olga = WsClient.joined(Server.unique("olga"), room);
             WsClient dora = WsClient.hello(Server.ws(), token)) {
            dora.send(WsClient.frame("join").add("ref", "j").add("room", room));
            dora.reply("j", "joined");
            HttpResponse<String> noPassword = Server.post("api/auth/delete", "{\"username\":\"" + name + "\"}");
            assertEquals(400, noPassword.statusCode());
            assertEquals("username and password are required", json(noPassword).getString("message"));
            assertEquals(401, deletion(name, "correct horsE").statusCode(), "wrong password");

            assertEquals(204, deletion(name, "correct horse").statusCode());
            assertEquals(4501, dora.awaitClose(WsClient.WAIT));
            assertEquals("signed out: the account was deleted", dora.closeReason());
            olga.send(WsClient.frame("members").add("ref", "m").add("room", room));
            assertEquals(List.of(olga.user()), olga.reply("m", "members").getJsonArray("items")
                    .getValuesAs(JsonObject.class).stream().map(member -> member.getString("user")).toList());
        }
        try (WsClient again = WsClient.connect(Server.ws())) {
            again.send(WsClient.frame("hello").add("ref", "h").add("token", token));
            assertEquals(4501, again.awaitClose(WsClient.WAIT), "its token");
        }
        assertEquals(401, Server.login(name, "correct horse").statusCode());
        assertEquals(401, deletion(name, "correct horse").statusCode(), "deleted already");
        assertEquals(409, Server.register(name, "correct horse").statusCode(), "the name stays taken");
        assertEquals(403, deletion(Server.ADMIN, System.getProperty("it.admin.password")).statusCode());
        assertEquals(200, Server.login(Server.ADMIN, System.getProperty("it.admin.password")).statusCode());
    }

    /** Passwords given to register, log in, set a new one or reset one reach neither the log nor the audit trail. */
    @Test
    @Tag("payara-log")
    void noPasswordIsWrittenToTheLog() throws Exception {
        String name = Server.unique("grace");
        List<String> passwords = List.of(Server.unique("first secret"), Server.unique("wrong secret"),
                Server.unique("second secret"), Server.unique("reset secret"));
        String mark = ServerLog.mark("passwords-before");
        assertEquals(201, Server.register(name, passwords.get(0)).statusCode());
        assertEquals(401, Server.login(name, passwords.get(1)).statusCode());
        assertEquals(200, newPassword(name, passwords.get(0), passwords.get(2)).statusCode());
        String admin = Server.adminToken();
        assertEquals(204, Server.put("api/admin/users/" + name + "/password", admin,
                Json.createObjectBuilder().add("password", passwords.get(3)).build().toString()).statusCode());

        String log = ServerLog.awaitAfter(mark, "reset-password " + name);
        String since = log.substring(log.lastIndexOf(mark));
        assertTrue(since.contains("failed login for " + name), "the log tells of the attempts");
        String audit = Server.get("api/admin/audit?limit=20", admin).body();
        for (String password : passwords) {
            assertFalse(since.contains(password), "in the log: " + password);
            assertFalse(audit.contains(password), "in the audit trail: " + password);
        }
    }

    /**
     * A body of the bound is read and answered for what it says; one byte more is refused with 413, before it is
     * read when it declares its length, as soon as it passes the bound when it comes in chunks.
     */
    @Test
    void aRequestBodyPastItsBoundIsRefusedWith413() throws Exception {
        String start = "{\"username\":\"" + Server.unique("bulky") + "\",\"password\":\"";
        byte[] atBound = (start + "x".repeat(BodyLimit.MAX_BODY_BYTES - start.length() - 2) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(BodyLimit.MAX_BODY_BYTES, atBound.length);
        // One character more inside the JSON: a reader stops at the closing brace, and never reads what follows.
        byte[] pastBound = (start + "x".repeat(BodyLimit.MAX_BODY_BYTES - start.length() - 1) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        // Over HTTP/1.1: the JDK's client, upgraded to h2c as it does by default, goes on sending the refused body
        // and gets no answer while Payara reads no more of it (EOF after 30 s; curl --http2 gets the 413).
        HttpClient http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (boolean chunked : List.of(false, true)) {
            HttpResponse<String> read = http11.send(register(atBound, chunked), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, read.statusCode(), "chunked: " + chunked);
            assertEquals("a password is 8 to 1024 characters", json(read).getString("message"));
            HttpResponse<String> refused = http11.send(register(pastBound, chunked),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, refused.statusCode(), "chunked: " + chunked + ": " + refused.body());
            assertEquals("too_large", json(refused).getString("error"));
        }
    }

    /** A registration with this body: of a declared length, or in chunks (a stream's length is not known). */
    private static HttpRequest register(byte[] body, boolean chunked) {
        return HttpRequest.newBuilder(Server.http("api/auth/register")).header("Content-Type", "application/json")
                .POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    @Test
    void anUnknownUserAndAWrongPasswordGetTheSameAnswerInAboutTheSameTime() throws Exception {
        String name = Server.unique("bob");
        assertEquals(201, Server.register(name, "correct horse").statusCode());
        Server.login(name, "warm-up");

        List<Long> wrong = new ArrayList<>();
        List<Long> unknown = new ArrayList<>();
        String wrongBody = null;
        String unknownBody = null;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            HttpResponse<String> a = Server.login(name, "wrong password");
            wrong.add(System.nanoTime() - start);
            start = System.nanoTime();
            HttpResponse<String> b = Server.login(Server.unique("nobody"), "wrong password");
            unknown.add(System.nanoTime() - start);
            assertEquals(401, a.statusCode());
            assertEquals(401, b.statusCode());
            wrongBody = a.body();
            unknownBody = b.body();
        }
        assertEquals(wrongBody, unknownBody);
        long wrongMedian = median(wrong);
        long unknownMedian = median(unknown);
        // Both answers cost one password hash; without the decoy hash, "unknown" would be many times faster.
        assertTrue(unknownMedian * 2 > wrongMedian && wrongMedian * 2 > unknownMedian,
                "medians " + Duration.ofNanos(wrongMedian).toMillis() + " ms (wrong password) and "
                        + Duration.ofNanos(unknownMedian).toMillis() + " ms (unknown user)");
    }

    @Test
    void theConfiguredAdminLogsInWithTheAdminRole() throws Exception {
        HttpResponse<String> ok = Server.login("admin", System.getProperty("it.admin.password"));
        assertEquals(200, ok.statusCode(), ok.body());
        String jwt = json(ok).getString("token");
        JsonObject claims = Json.createReader(new StringReader(new String(
                Base64.getUrlDecoder().decode(jwt.split("\\.")[1])))).readObject();
        assertEquals(List.of("admin"), claims.getJsonArray("roles").getValuesAs(jakarta.json.JsonString.class)
                .stream().map(jakarta.json.JsonString::getString).toList());
        assertEquals(401, Server.login("admin", "admin").statusCode(), "no built-in default password");
    }

    @Test
    void aTokenActsOnlyAsItsOwnUser() throws Exception {
        String room = Server.unique("mine");
        String bob = Server.unique("bob");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bobClient = WsClient.joined(bob, room)) {
            // Fields that name somebody else are not part of the contract and change nothing.
            ann.send(WsClient.send("s", room, "hello", "a-1").add("from", "guest-" + bob).add("user", "guest-" + bob)
                    .build());
            ann.reply("s", "receipt");
            JsonObject message = bobClient.await("message", m -> m.getString("text").equals("hello"));
            assertEquals(ann.user(), message.getString("from"));

            TokenService forger = new TokenService("a key the server never had, 32b!".getBytes(),
                    Duration.ofHours(1), java.time.Clock.systemUTC());
            try (WsClient impostor = WsClient.connect(Server.ws())) {
                impostor.send(Json.createObjectBuilder().add("type", "hello")
                        .add("token", forger.issue("guest-" + bob, Set.of("admin")).token()).build());
                assertEquals(4501, impostor.awaitClose(WsClient.WAIT));
            }
        }
    }

    @Test
    void aPasswordRoomNeedsItsPasswordAndNothingLeaksToOutsiders() throws Exception {
        String room = Server.unique("vault");
        try (WsClient owner = WsClient.joined(Server.unique("olga"), room);
             WsClient eve = WsClient.hello(Server.ws(), Server.guest(Server.unique("eve")).getString("token"))) {
            protect(owner, room);
            owner.send(WsClient.send("s", room, "the gold is under the floor", "o-1").build());
            owner.reply("s", "receipt");

            eve.send(WsClient.frame("join").add("ref", "none").add("room", room).build());
            assertEquals("forbidden", eve.reply("none", "error").getString("code"));
            eve.send(WsClient.frame("join").add("ref", "wrong").add("room", room).add("password", "open sesame?"));
            assertEquals("forbidden", eve.reply("wrong", "error").getString("code"));

            for (JsonObjectBuilder attempt : List.of(
                    WsClient.frame("history").add("room", room),
                    WsClient.frame("sync").add("room", room).add("after", 0),
                    WsClient.frame("typing").add("room", room),
                    WsClient.frame("ack").add("room", room).add("seq", 1),
                    WsClient.send("x", room, "let me in", "e-1"))) {
                JsonObject request = attempt.add("ref", "try").build();
                eve.send(request);
                assertEquals("not_member", eve.reply("try", "error").getString("code"), request.toString());
            }
            owner.assertNoneBeforePong("typing", t -> true);
            eve.assertNoneBeforePong("message", m -> true);

            eve.send(WsClient.frame("join").add("ref", "right").add("room", room).add("password", "open sesame"));
            assertEquals("member", eve.reply("right", "joined").getString("role"));
            eve.send(WsClient.frame("history").add("ref", "h").add("room", room).build());
            List<String> texts = eve.reply("h", "messages").getJsonArray("items").getValuesAs(JsonObject.class)
                    .stream().map(m -> m.getString("text")).toList();
            assertEquals(List.of(owner.user() + " set a password for the room",
                    "the gold is under the floor"), texts, "once in, history shows what was said");
        }
    }

    /** Ten checks of a room's password a minute for a user: the eleventh is refused, even the right one. */
    @Test
    void aUserGuessesARoomsPasswordTenTimesAMinute() throws Exception {
        String room = Server.unique("safe");
        try (WsClient owner = WsClient.joined(Server.unique("olga"), room);
             WsClient eve = WsClient.hello(Server.ws(), Server.guest(Server.unique("eve")).getString("token"))) {
            protect(owner, room);
            for (int i = 0; i < PasswordChecks.PER_USER_AND_ROOM; i++) {
                eve.send(WsClient.frame("join").add("ref", "g" + i).add("room", room).add("password", "guess " + i));
                assertEquals("forbidden", eve.reply("g" + i, "error").getString("code"), "guess " + i);
            }
            eve.send(WsClient.frame("join").add("ref", "right").add("room", room).add("password", "open sesame"));
            JsonObject refused = eve.reply("right", "error");
            assertEquals("rate_limited", refused.getString("code"));
            assertEquals("more than " + PasswordChecks.PER_USER_AND_ROOM + " passwords for " + room
                    + " from you in a minute: try again later",
                    refused.getString("message"));
        }
    }

    /** The owner makes the room a password room, its password "open sesame". */
    private static void protect(WsClient owner, String room) {
        owner.send(WsClient.frame("access").add("ref", "a").add("room", room).add("access", "password")
                .add("password", "open sesame"));
        owner.reply("a", "ok");
    }

    @Test
    void anInviteOnlyRoomAndABanHoldAcrossReconnects() throws Exception {
        String room = Server.unique("club");
        String eveToken = Server.guest(Server.unique("eve")).getString("token");
        String bobToken = Server.guest(Server.unique("bob")).getString("token");
        try (WsClient owner = WsClient.joined(Server.unique("olga"), room);
             WsClient eve = WsClient.hello(Server.ws(), eveToken);
             WsClient bob = WsClient.hello(Server.ws(), bobToken)) {
            String eveName = eve.user();
            owner.send(WsClient.frame("access").add("ref", "a").add("room", room).add("access", "invite").build());
            owner.reply("a", "ok");
            eve.send(WsClient.frame("join").add("ref", "j").add("room", room).build());
            assertEquals("forbidden", eve.reply("j", "error").getString("code"));

            owner.send(WsClient.frame("invite").add("ref", "i").add("room", room).add("user", eveName).build());
            owner.reply("i", "ok");
            assertEquals("member", eve.await("joined", j -> j.getString("room").equals(room)).getString("role"));
            bob.send(WsClient.frame("join").add("ref", "j").add("room", room).build());
            assertEquals("forbidden", bob.reply("j", "error").getString("code"), "invites are per user");

            owner.send(WsClient.frame("ban").add("ref", "b").add("room", room).add("user", eveName).build());
            owner.reply("b", "ok");
            assertEquals("banned", eve.await("left", l -> l.getString("room").equals(room)).getString("reason"));
            owner.send(WsClient.send("s", room, "after the ban", "o-1").build());
            owner.reply("s", "receipt");
            owner.awaitHandedToRoom(room);
            eve.assertNoneBeforePong("message", m -> m.getString("room").equals(room));
        }
        try (WsClient eve = WsClient.hello(Server.ws(), eveToken)) {
            assertTrue(eve.seen().get(0).getJsonArray("rooms").isEmpty(), "the ban ended the membership");
            eve.send(WsClient.frame("join").add("ref", "j").add("room", room).build());
            assertEquals("banned", eve.reply("j", "error").getString("code"));
            eve.send(WsClient.send("s", room, "still here?", "e-1").build());
            assertEquals("not_member", eve.reply("s", "error").getString("code"));
        }
    }

    @Test
    void sqlAndScriptPayloadsAreRefusedAsNamesAndKeptVerbatimAsText() throws Exception {
        String room = Server.unique("payloads");
        List<String> texts = List.of("'; DROP TABLE message; --", "<script>alert(1)</script>",
                "\" OR 1=1 --", "<img src=x onerror=alert(1)>", "Robert'); DELETE FROM room;--");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            for (String name : List.of("x'; DROP TABLE room; --", "<script>", "a b", "lobby\"")) {
                ann.send(WsClient.frame("join").add("ref", "n").add("room", name).build());
                assertEquals("bad_request", ann.reply("n", "error").getString("code"), name);
            }
            for (int i = 0; i < texts.size(); i++) {
                ann.send(WsClient.send("s" + i, room, texts.get(i), "p-" + i).build());
                ann.reply("s" + i, "receipt");
            }
            for (String text : texts) {
                assertEquals(text, bob.await("message", m -> m.getString("room").equals(room)).getString("text"));
            }
            bob.send(WsClient.frame("history").add("ref", "h").add("room", room).build());
            assertEquals(texts, bob.reply("h", "messages").getJsonArray("items").getValuesAs(JsonObject.class)
                    .stream().map(m -> m.getString("text")).toList());
        }
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static HttpResponse<String> newPassword(String user, String password, String newPassword)
            throws Exception {
        return Server.post("api/auth/password", Json.createObjectBuilder().add("username", user)
                .add("password", password).add("newPassword", newPassword).build().toString());
    }

    private static HttpResponse<String> deletion(String user, String password) throws Exception {
        return Server.post("api/auth/delete", Json.createObjectBuilder().add("username", user)
                .add("password", password).build().toString());
    }

    private static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }
}
