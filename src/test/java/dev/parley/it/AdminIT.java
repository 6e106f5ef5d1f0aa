package dev.parley.it;

import static dev.parley.it.Server.delete;
import static dev.parley.it.Server.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.Limits;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin REST API on the deployed WAR: who may use it, and what its operations do to live clients. */
@Tag("wildfly")
@ExtendWith({FreshServer.class, ArquillianExtension.class})
@RunAsClient
class AdminIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Every operation of the API, as method, path and body. */
    private static final List<String[]> OPERATIONS = List.of(
            new String[] {"GET", "api/admin/rooms", null},
            new String[] {"GET", "api/admin/rooms/lobby", null},
            new String[] {"GET", "api/admin/connections", null},
            new String[] {"POST", "api/admin/users/anybody/kick", "{}"},
            new String[] {"DELETE", "api/admin/rooms/lobby/members/anybody", null},
            new String[] {"PUT", "api/admin/users/anybody/mute", "{\"minutes\":5}"},
            new String[] {"DELETE", "api/admin/users/anybody/mute", null},
            new String[] {"PUT", "api/admin/users/anybody/ban", "{}"},
            new String[] {"DELETE", "api/admin/users/anybody/ban", null},
            new String[] {"PUT", "api/admin/users/anybody/password", "{\"password\":\"a new password\"}"},
            new String[] {"DELETE", "api/admin/users/anybody", null},
            new String[] {"GET", "api/admin/users?prefix=any", null},
            new String[] {"GET", "api/admin/sanctions", null},
            new String[] {"POST", "api/admin/rooms/lobby/notices", "{\"text\":\"hi\"}"},
            new String[] {"POST", "api/admin/notices", "{\"text\":\"hi\"}"},
            new String[] {"POST", "api/admin/rooms/lobby/archive", "{}"},
            new String[] {"POST", "api/admin/rooms/lobby/reopen", "{}"},
            new String[] {"DELETE", "api/admin/rooms/lobby/messages/1", null},
            new String[] {"DELETE", "api/admin/rooms/lobby/topic", null},
            new String[] {"DELETE", "api/admin/rooms/lobby/links", null},
            new String[] {"PUT", "api/admin/rooms/lobby/owner", "{\"user\":\"anybody\"}"},
            new String[] {"POST", "api/admin/purge", "{\"olderThanDays\":1}"},
            new String[] {"GET", "api/admin/audit", null},
            new String[] {"GET", "api/admin/limits", null},
            new String[] {"PUT", "api/admin/limits", "{\"maxTextChars\":1}"},
            new String[] {"DELETE", "api/admin/limits", null});

    @Test
    void everyOperationRefusesAnonymousCallersAndMembersAndChangesNothing() throws Exception {
        String member = Server.guest(Server.unique("eve")).getString("token");
        for (String[] operation : OPERATIONS) {
            String name = operation[0] + " " + operation[1];
            assertEquals(401, call(operation, null).statusCode(), name + " without a token");
            assertEquals(401, call(operation, "forged").statusCode(), name + " with a forged token");
            HttpResponse<String> refused = call(operation, member);
            assertEquals(403, refused.statusCode(), name + " for a member");
            assertEquals("forbidden", json(refused.body()).getString("error"));
            if (operation[2] != null && !operation[2].equals("{}")) {
                // Who may not act is told so before the body is read: not what a body should hold.
                String[] malformed = {operation[0], operation[1], "{\"text\": 42, \"nonsense\""};
                assertEquals(401, call(malformed, null).statusCode(), name + " with a bad body, without a token");
                assertEquals(403, call(malformed, member).statusCode(), name + " with a bad body, for a member");
            }
        }
        HttpResponse<String> limits = get("api/admin/limits", Server.adminToken());
        assertEquals(200, limits.statusCode(), "an admin gets in");
        assertEquals(4000, json(limits.body()).getInt("maxTextChars"), "no refused change took effect");
    }

    @Test
    void roomsAndConnectionsAreListedAndAKickClosesTheUsersConnectionsWith4503() throws Exception {
        String room = Server.unique("watched");
        String admin = Server.adminToken();
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            String bobName = bob.user();
            JsonObject listed = array(get("api/admin/rooms", admin).body()).getValuesAs(JsonObject.class).stream()
                    .filter(r -> r.getString("room").equals(room)).findFirst().orElseThrow();
            assertEquals(2, listed.getInt("members"));
            assertEquals(2, listed.getInt("online"));
            assertEquals("public", listed.getString("access"));
            assertTrue(array(get("api/admin/connections", admin).body()).getValuesAs(JsonObject.class).stream()
                    .anyMatch(c -> c.getString("user").equals(bobName)));

            HttpResponse<String> kicked = Server.post("api/admin/users/" + bobName + "/kick", admin, "{}");
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
        String admin = Server.adminToken();
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
            HttpResponse<String> posted = Server.post("api/admin/rooms/" + room + "/notices", admin,
                    "{\"text\":\"Maintenance at 22:00 <b>UTC</b>\"}");
            assertEquals(201, posted.statusCode(), posted.body());
            JsonObject message = ann.await("message");
            assertEquals("system", message.getString("kind"));
            assertEquals("system", message.getString("from"));
            assertEquals("Maintenance at 22:00 <b>UTC</b>", message.getString("text"));
            assertEquals(json(posted.body()).getInt("seq"), message.getInt("seq"));
        }
        assertEquals(404, Server.post("api/admin/rooms/" + Server.unique("nowhere") + "/notices", admin,
                "{\"text\":\"hello?\"}").statusCode());
        assertEquals(400, Server.post("api/admin/rooms/" + room + "/notices", admin, "{\"text\":\" \"}").statusCode());
    }

    @Test
    void limitsChangeWithoutARestart() throws Exception {
        String admin = Server.adminToken();
        String room = Server.unique("limited");
        JsonObject before = json(get("api/admin/limits", admin).body());
        assertEquals(Limits.DEFAULTS.maxTextChars(), before.getInt("maxTextChars"));
        try (AutoCloseable restoring = Server.restoringLimits(admin);
             WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
            HttpResponse<String> changed = Server.put("api/admin/limits", admin, "{\"maxTextChars\":50}");
            assertEquals(200, changed.statusCode(), changed.body());
            assertEquals(50, json(changed.body()).getInt("maxTextChars"));
            assertEquals(before.getInt("framesPerSecond"), json(changed.body()).getInt("framesPerSecond"));

            ann.send(WsClient.send("at", room, "x".repeat(50), "l-1"));
            ann.reply("at", "receipt");
            ann.send(WsClient.send("past", room, "x".repeat(51), "l-2"));
            assertEquals("too_large", ann.reply("past", "error").getString("code"), "the open connection too");

            HttpResponse<String> refused = Server.put("api/admin/limits", admin, "{\"maxTextChars\":8001}");
            assertEquals(400, refused.statusCode());
            assertEquals("maxTextChars must be 1 to 8000, not 8001", json(refused.body()).getString("message"));
            assertEquals(400, Server.put("api/admin/limits", admin, "{\"maxTextChars\":0}").statusCode());
            assertEquals(50, json(get("api/admin/limits", admin).body()).getInt("maxTextChars"), "nothing changed");
            String guest = Server.guest(Server.unique("eve")).getString("token");
            assertEquals(403, Server.put("api/admin/limits", guest, "{\"maxTextChars\":99999}").statusCode());

            HttpResponse<String> reset = delete("api/admin/limits", admin);
            assertEquals(200, reset.statusCode(), reset.body());
            assertEquals(before, json(reset.body()), "the configured limits again");
            ann.send(WsClient.send("long", room, "x".repeat(51), "l-3"));
            ann.reply("long", "receipt");
            JsonObject audited = array(get("api/admin/audit?limit=1", admin).body()).getJsonObject(0);
            assertEquals("reset-limits", audited.getString("action"));
        }
    }

    /**
     * The longest text an operator may allow, of characters that take two UTF-16 units each (and four bytes in
     * UTF-8): stored whole in the database of the run, delivered and read back from history as sent.
     */
    @Test
    void theLongestTextAnOperatorMayAllowIsStoredWhole() throws Exception {
        String admin = Server.adminToken();
        String room = Server.unique("longest");
        String longest = "\uD83D\uDE00".repeat(Limits.MAX_TEXT_CHARS);
        try (AutoCloseable restoring = Server.restoringLimits(admin)) {
            HttpResponse<String> changed = Server.put("api/admin/limits", admin,
                    "{\"maxTextChars\":" + Limits.MAX_TEXT_CHARS + "}");
            assertEquals(200, changed.statusCode(), changed.body());
            try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
                 WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
                ann.send(WsClient.send("at", room, longest, "longest-1"));
                long seq = ann.reply("at", "receipt").getJsonNumber("seq").longValue();
                assertEquals(longest, bob.await("message").getString("text"));
                ann.send(WsClient.send("past", room, longest + "\uD83D\uDE00", "longest-2"));
                assertEquals("too_large", ann.reply("past", "error").getString("code"));

                bob.send(WsClient.frame("history").add("ref", "h").add("room", room).add("limit", 1));
                JsonObject read = bob.reply("h", "messages").getJsonArray("items").getJsonObject(0);
                assertEquals(seq, read.getJsonNumber("seq").longValue());
                assertEquals(longest, read.getString("text"), "read back whole from the database");
            }
        }
    }

    /** A connection's largest frame is fixed when it opens (operations.md): a change holds the ones opened since. */
    @Test
    void aChangedFrameLimitHoldsTheConnectionsOpenedSince() throws Exception {
        String admin = Server.adminToken();
        int limit = 2048;
        try (AutoCloseable restoring = Server.restoringLimits(admin);
             WsClient before = WsClient.hello(Server.ws(), Server.guest(Server.unique("ann")).getString("token"))) {
            HttpResponse<String> changed = Server.put("api/admin/limits", admin, "{\"maxFrameBytes\":" + limit + "}");
            assertEquals(200, changed.statusCode(), changed.body());
            try (WsClient after = WsClient.hello(Server.ws(), Server.guest(Server.unique("bob")).getString("token"))) {
                after.sendText(WsClient.padded("at", limit));
                after.reply("at", "pong");
                after.sendText(WsClient.padded("past", limit + 1));
                assertEquals(1009, after.awaitClose(WsClient.WAIT));
            }
            before.sendText(WsClient.padded("opened-before", limit + 1));
            before.reply("opened-before", "pong");
        }
    }

    @Test
    void aRoomsMembersAreListedAndOneIsRemovedFromTheRoom() throws Exception {
        String room = Server.unique("crowded");
        String admin = Server.adminToken();
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            String annName = ann.user();
            String bobName = bob.user();
            JsonObject detail = json(get("api/admin/rooms/" + room, admin).body());
            assertFalse(detail.getBoolean("direct"));
            ann.send(WsClient.frame("dm").add("ref", "d").add("user", bobName));
            String direct = ann.reply("d", "joined").getString("room");
            assertTrue(json(get("api/admin/rooms/" + direct, admin).body()).getBoolean("direct"));
            assertEquals(List.of(annName + " owner true", bobName + " member true"),
                    detail.getJsonArray("members").getValuesAs(JsonObject.class).stream()
                            .map(m -> m.getString("user") + " " + m.getString("role") + " " + m.getBoolean("online"))
                            .sorted().toList());
            assertEquals(404, get("api/admin/rooms/" + Server.unique("nowhere"), admin).statusCode());

            HttpResponse<String> removed = delete("api/admin/rooms/" + room + "/members/" + bobName, admin);
            assertEquals(200, removed.statusCode(), removed.body());
            assertEquals("kicked", bob.await("left").getString("reason"));
            assertEquals(bobName + " was removed from the room by an administrator",
                    ann.await("message", m -> m.getString("kind").equals("system")).getString("text"));
            bob.send(WsClient.send("after", room, "still here?", "r-1"));
            assertEquals("not_member", bob.reply("after", "error").getString("code"));
            assertEquals(404, delete("api/admin/rooms/" + room + "/members/" + bobName, admin).statusCode());
            String guest = Server.guest(Server.unique("eve")).getString("token");
            assertEquals(403, delete("api/admin/rooms/" + room + "/members/" + annName, guest).statusCode());
        }
    }

    @Test
    void aServerWideMuteRefusesSendsUntilLifted() throws Exception {
        String room = Server.unique("quiet");
        String admin = Server.adminToken();
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            String bobName = bob.user();
            HttpResponse<String> muted = Server.put("api/admin/users/" + bobName + "/mute", admin, "{\"minutes\":5}");
            assertEquals(200, muted.statusCode(), muted.body());
            assertEquals("mute", json(muted.body()).getString("kind"));
            assertTrue(array(get("api/admin/sanctions", admin).body()).getValuesAs(JsonObject.class).stream()
                    .anyMatch(s -> s.getString("user").equals(bobName) && s.getString("kind").equals("mute")));

            bob.send(WsClient.send("muted", room, "let me talk", "m-1"));
            JsonObject refused = bob.reply("muted", "error");
            assertEquals("muted", refused.getString("code"));
            assertTrue(refused.getString("message").startsWith("you are muted for "), refused.toString());

            assertEquals(204, delete("api/admin/users/" + bobName + "/mute", admin).statusCode());
            bob.send(WsClient.send("free", room, "thanks", "m-2"));
            bob.reply("free", "receipt");
            assertEquals("thanks", ann.await("message").getString("text"));
            assertEquals(404, delete("api/admin/users/" + bobName + "/mute", admin).statusCode());
            String noMinutes = "{\"minutes\":0}";
            assertEquals(400, Server.put("api/admin/users/" + bobName + "/mute", admin, noMinutes).statusCode());
        }
    }

    /** A user who forgot their password gets a new one from an operator; the old one and its tokens stop working. */
    @Test
    void aPasswordResetLetsTheUserInWithTheNewPasswordOnly() throws Exception {
        String admin = Server.adminToken();
        String name = Server.unique("dave");
        assertEquals(201, Server.register(name, "forgotten one").statusCode());
        String token = json(Server.login(name, "forgotten one").body()).getString("token");
        try (WsClient dave = WsClient.hello(Server.ws(), token)) {
            assertRefused(Server.put("api/admin/users/" + name + "/password", admin, "{\"password\":\"7 chars\"}"),
                    400, "a password is 8 to 1024 characters");
            String nobody = Server.unique("nobody");
            assertRefused(Server.put("api/admin/users/" + nobody + "/password", admin,
                    "{\"password\":\"a new password\"}"), 404, nobody + " has no account");
            assertEquals(204, Server.put("api/admin/users/" + name + "/password", admin,
                    "{\"password\":\"a new password\"}").statusCode());
            assertEquals(4501, dave.awaitClose(WsClient.WAIT), "the connection of the old password's token");
        }
        assertEquals(401, Server.login(name, "forgotten one").statusCode());
        assertEquals(200, Server.login(name, "a new password").statusCode());
        String trail = get("api/admin/audit?limit=5", admin).body();
        assertTrue(array(trail).getValuesAs(JsonObject.class).stream().anyMatch(entry -> entry.getString("target")
                .equals(name) && entry.getString("action").equals("reset-password")), trail);
        assertFalse(trail.contains("a new password"), "never the password");
    }

    /**
     * A user who asked to go and cannot sign in has their account deleted by an operator, as their own deletion
     * would: the connection closes saying why, the rooms no longer list them, nobody signs in with it again.
     */
    @Test
    void anAccountDeletedByAnOperatorIsSignedOutEverywhereAndLeavesItsRooms() throws Exception {
        String admin = Server.adminToken();
        String name = Server.unique("erin");
        String room = Server.unique("left-behind");
        assertEquals(201, Server.register(name, "forgotten one").statusCode());
        String token = json(Server.login(name, "forgotten one").body()).getString("token");
        try (WsClient olga = WsClient.joined(Server.unique("olga"), room);
             WsClient erin = WsClient.hello(Server.ws(), token)) {
            erin.send(WsClient.frame("join").add("ref", "j").add("room", room));
            erin.reply("j", "joined");
            assertEquals(204, Server.delete("api/admin/users/" + name, admin).statusCode());
            assertEquals(4501, erin.awaitClose(WsClient.WAIT));
            assertEquals("signed out: the account was deleted", erin.closeReason());
            olga.send(WsClient.frame("members").add("ref", "m").add("room", room));
            assertEquals(List.of(olga.user()), olga.reply("m", "members").getJsonArray("items")
                    .getValuesAs(JsonObject.class).stream().map(member -> member.getString("user")).toList());
        }
        assertEquals(401, Server.login(name, "forgotten one").statusCode());
        assertRefused(Server.delete("api/admin/users/" + name, admin), 404, name + " has no account");
        HttpResponse<String> first = Server.delete("api/admin/users/" + Server.ADMIN, admin);
        assertEquals(409, first.statusCode(), first.body());
        assertEquals(200, Server.login(Server.ADMIN, System.getProperty("it.admin.password")).statusCode());
        String trail = get("api/admin/audit?limit=5", admin).body();
        assertTrue(array(trail).getValuesAs(JsonObject.class).stream().anyMatch(entry -> entry.getString("target")
                .equals(name) && entry.getString("action").equals("delete-account")), trail);
    }

    /** An operator finds accounts by the start of their name, in any case, a page at a time. */
    @Test
    void anOperatorFindsAccountsByTheStartOfTheirName() throws Exception {
        String admin = Server.adminToken();
        String stem = Server.unique("finn");
        List<String> names = List.of(stem + "a", stem + "b", stem + "c");
        for (String name : names) {
            assertEquals(201, Server.register(name, "long enough one").statusCode());
        }
        assertEquals(204, Server.delete("api/admin/users/" + names.get(2), admin).statusCode());

        List<JsonObject> first = array(get("api/admin/users?limit=2&prefix=" + stem.toUpperCase(Locale.ROOT), admin)
                .body()).getValuesAs(JsonObject.class);
        assertEquals(List.of(names.get(0) + " active", names.get(1) + " active"), states(first));
        Instant created = Instant.parse(first.get(0).getString("created"));
        assertTrue(Duration.between(created, Instant.now()).abs().toMinutes() < 10, "made just now: " + created);
        List<JsonObject> next = array(get("api/admin/users?prefix=" + stem + "&after=" + names.get(1), admin)
                .body()).getValuesAs(JsonObject.class);
        assertEquals(List.of(names.get(2) + " deleted"), states(next), "the name stays taken");
        assertTrue(array(get("api/admin/users?prefix=" + Server.ADMIN, admin).body()).getValuesAs(JsonObject.class)
                .stream().anyMatch(a -> a.getString("user").equals(Server.ADMIN) && a.getBoolean("admin")));

        assertRefused(get("api/admin/users?prefix=fin%25", admin), 400,
                "prefix: a name's start, up to 32 letters, digits, '_', '.' or '-'");
        for (String limit : List.of("0", "201")) {
            assertRefused(get("api/admin/users?prefix=fin&limit=" + limit, admin), 400,
                    "limit must be a whole number from 1 to 200");
        }
        assertEquals(1, array(get("api/admin/users?prefix=" + stem + "&limit=1", admin).body()).size());
        assertEquals(3, array(get("api/admin/users?prefix=" + stem + "&limit=200", admin).body()).size());
        assertRefused(get("api/admin/users?prefix=fin&after=no%20name", admin), 400,
                "after: the last name of the page before");
    }

    private static List<String> states(List<JsonObject> accounts) {
        return accounts.stream().map(a -> a.getString("user") + (a.getBoolean("deleted") ? " deleted" : " active"))
                .toList();
    }

    @Test
    void aServerWideBanClosesWith4504AndRefusesEveryConnectionUntilLifted() throws Exception {
        String room = Server.unique("strict");
        String admin = Server.adminToken();
        String nickname = Server.unique("bob");
        String token = Server.guest(nickname).getString("token");
        try (WsClient bob = WsClient.hello(Server.ws(), token)) {
            String bobName = bob.user();
            HttpResponse<String> banned = Server.put("api/admin/users/" + bobName + "/ban", admin, "{}");
            assertEquals(200, banned.statusCode(), banned.body());
            assertEquals(4504, bob.awaitClose(WsClient.WAIT));

            try (WsClient again = WsClient.connect(Server.ws())) {
                again.send(WsClient.frame("hello").add("token", token));
                assertEquals(4504, again.awaitClose(WsClient.WAIT), "a banned user's hello is refused");
            }
            assertEquals(204, delete("api/admin/users/" + bobName + "/ban", admin).statusCode());
            try (WsClient back = WsClient.hello(Server.ws(), token)) {
                back.send(WsClient.frame("join").add("ref", "j").add("room", room));
                back.reply("j", "joined");
            }
        }
    }

    @Test
    void anArchivedRoomIsReadOnlyANoticeToAllSkipsItAndItCanBeReopened() throws Exception {
        String archivedRoom = Server.unique("old");
        String openRoom = Server.unique("open");
        String admin = Server.adminToken();
        try (WsClient ann = WsClient.joined(Server.unique("ann"), archivedRoom);
             WsClient bob = WsClient.joined(Server.unique("bob"), openRoom)) {
            HttpResponse<String> archived = Server.post("api/admin/rooms/" + archivedRoom + "/archive", admin, "{}");
            assertEquals(200, archived.statusCode(), archived.body());
            assertTrue(json(archived.body()).getBoolean("archived"));
            assertTrue(ann.await("message").getString("text").contains("archived"));
            assertEquals(archivedRoom, ann.await("archived", m -> m.getBoolean("archived")).getString("room"));
            HttpResponse<String> again = Server.post("api/admin/rooms/" + archivedRoom + "/archive", admin, "{}");
            assertEquals(409, again.statusCode());
            assertEquals("conflict", json(again.body()).getString("error"));
            HttpResponse<String> notice = Server.post("api/admin/rooms/" + archivedRoom + "/notices", admin,
                    "{\"text\":\"anyone?\"}");
            assertEquals(409, notice.statusCode(), notice.body());
            assertEquals("conflict", json(notice.body()).getString("error"), "a 409 says conflict, whoever refused");

            ann.send(WsClient.send("late", archivedRoom, "anyone?", "a-1"));
            assertEquals("forbidden", ann.reply("late", "error").getString("code"));
            bob.send(WsClient.frame("join").add("ref", "in").add("room", archivedRoom));
            assertEquals("forbidden", bob.reply("in", "error").getString("code"), "no new members");

            HttpResponse<String> everywhere = Server.post("api/admin/notices", admin, "{\"text\":\"restart at noon\"}");
            assertEquals(201, everywhere.statusCode(), everywhere.body());
            assertTrue(json(everywhere.body()).getInt("rooms") >= 1);
            assertEquals("restart at noon", bob.await("message").getString("text"));
            ann.assertNoneBeforePong("message", m -> m.getString("text").equals("restart at noon"));

            assertEquals(200, Server.post("api/admin/rooms/" + archivedRoom + "/reopen", admin, "{}").statusCode());
            ann.await("message", m -> m.getString("text").equals("This room was reopened by an administrator."));
            ann.await("archived", m -> !m.getBoolean("archived"));
            assertEquals(409, Server.post("api/admin/rooms/" + archivedRoom + "/reopen", admin, "{}").statusCode());
            ann.send(WsClient.send("again", archivedRoom, "we are back", "a-2"));
            ann.reply("again", "receipt");
            assertEquals(404, Server.post("api/admin/rooms/" + Server.unique("nowhere") + "/archive", admin, "{}")
                    .statusCode());
        }
    }

    @Test
    void aDeletedMessageIsGoneForThoseOnlineAndForThoseWhoReadHistoryLater() throws Exception {
        String room = Server.unique("regret");
        String admin = Server.adminToken();
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            bob.send(WsClient.send("s1", room, "something regrettable", "d-1"));
            long seq = bob.reply("s1", "receipt").getJsonNumber("seq").longValue();
            bob.send(WsClient.send("s2", room, "something fine", "d-2"));
            bob.reply("s2", "receipt");

            HttpResponse<String> deleted = delete("api/admin/rooms/" + room + "/messages/" + seq, admin);
            assertEquals(200, deleted.statusCode(), deleted.body());
            JsonObject event = ann.await("message", m -> m.getString("kind").equals("deleted"));
            assertEquals(seq, event.getJsonNumber("target").longValue());
            assertEquals(seq + 2, event.getJsonNumber("seq").longValue(), "the deletion has a seq of its own");

            try (WsClient later = WsClient.joined(Server.unique("cy"), room)) {
                later.send(WsClient.frame("history").add("ref", "h").add("room", room));
                List<JsonObject> items = later.reply("h", "messages").getJsonArray("items")
                        .getValuesAs(JsonObject.class);
                assertEquals("", items.get(0).getString("text"));
                assertTrue(items.get(0).getBoolean("deleted"));
                assertEquals("something fine", items.get(1).getString("text"));
            }
            assertEquals(404, delete("api/admin/rooms/" + room + "/messages/" + seq, admin).statusCode());
        }
    }

    /** A topic the room's owner set, listed with the room, is cleared by an administrator: the room is told. */
    @Test
    void aClearedTopicIsGoneFromTheRoomAndItsMembersAreTold() throws Exception {
        String room = Server.unique("topic");
        String admin = Server.adminToken();
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            ann.send(WsClient.frame("topic").add("ref", "t").add("room", room).add("text", "something regrettable"));
            ann.reply("t", "ok");
            assertEquals("something regrettable", json(get("api/admin/rooms/" + room, admin).body())
                    .getString("topic"));

            HttpResponse<String> cleared = delete("api/admin/rooms/" + room + "/topic", admin);
            assertEquals(200, cleared.statusCode(), cleared.body());
            JsonObject event = bob.await("message", m -> m.getString("kind").equals("topic")
                    && m.getString("text").isEmpty());
            assertEquals(json(cleared.body()).getJsonNumber("seq"), event.getJsonNumber("seq"));
            JsonObject listed = array(get("api/admin/rooms", admin).body()).getValuesAs(JsonObject.class).stream()
                    .filter(r -> r.getString("room").equals(room)).findFirst().orElseThrow();
            assertFalse(listed.containsKey("topic"), listed.toString());
            assertEquals(404, delete("api/admin/rooms/" + Server.unique("nowhere") + "/topic", admin).statusCode());
        }
    }

    /** A link that went where it should not is ended by an administrator: nobody joins with it, the room is told. */
    @Test
    void anAdministratorEndsARoomsInvitationLinks() throws Exception {
        String room = Server.unique("leaked");
        String admin = Server.adminToken();
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient eve = WsClient.hello(Server.ws(), Server.guest(Server.unique("eve")).getString("token"))) {
            ann.send(WsClient.frame("access").add("ref", "a").add("room", room).add("access", "invite"));
            ann.reply("a", "ok");
            ann.send(WsClient.frame("link").add("ref", "l").add("room", room));
            String code = ann.reply("l", "link").getString("code");

            HttpResponse<String> removed = delete("api/admin/rooms/" + room + "/links", admin);
            assertEquals(200, removed.statusCode(), removed.body());
            assertEquals(1, json(removed.body()).getInt("removed"));
            ann.await("message", m -> m.getString("text").endsWith(" removed the room's invitation links"));
            eve.send(WsClient.frame("join").add("ref", "j").add("room", room).add("code", code));
            assertEquals("forbidden", eve.reply("j", "error").getString("code"));
            assertEquals(0, json(delete("api/admin/rooms/" + room + "/links", admin).body()).getInt("removed"));
            assertEquals(404, delete("api/admin/rooms/" + Server.unique("nowhere") + "/links", admin).statusCode());
        }
    }

    /**
     * A room whose owner left it is given to a member by an administrator: the member's connection learns the new
     * role and the room is told; the old owner, back, is a member.
     */
    @Test
    void anAdministratorGivesARoomWhoseOwnerLeftToAMember() throws Exception {
        String room = Server.unique("orphan");
        String admin = Server.adminToken();
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            ann.send(WsClient.frame("leave").add("ref", "l").add("room", room));
            ann.reply("l", "left");
            String owner = "api/admin/rooms/" + room + "/owner";
            String toBob = "{\"user\":\"" + bob.user() + "\"}";
            HttpResponse<String> given = Server.put(owner, admin, toBob);
            assertEquals(200, given.statusCode(), given.body());
            assertEquals(bob.user(), json(given.body()).getString("owner"));
            assertEquals("owner", bob.await("role").getString("role"));
            bob.await("message", m -> m.getString("text").endsWith(" handed the room to " + bob.user()));
            ann.send(WsClient.frame("join").add("ref", "j").add("room", room));
            assertEquals("member", ann.reply("j", "joined").getString("role"));

            HttpResponse<String> again = Server.put(owner, admin, toBob);
            assertEquals(409, again.statusCode(), again.body());
            assertEquals(bob.user() + " owns " + room + " already", json(again.body()).getString("message"));
            assertRefused(Server.put(owner, admin, "{\"user\":\"nobody-here\"}"), 404,
                    "nobody-here is not a member of " + room);
            assertEquals(400, Server.put(owner, admin, "{}").statusCode());
        }
    }

    /**
     * Two administrators give one room to two members at the same moment: each hand-over reads the owner under the
     * room's lock, so the room ends with one owner, whom its members' roles agree on, and the other a moderator.
     */
    @Test
    void twoHandOversAtOnceLeaveOneOwner() throws Exception {
        String room = Server.unique("contested");
        String admin = Server.adminToken();
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room);
             WsClient cy = WsClient.joined(Server.unique("cy"), room)) {
            String owner = "api/admin/rooms/" + room + "/owner";
            ExecutorService admins = Executors.newFixedThreadPool(2);
            CyclicBarrier atOnce = new CyclicBarrier(2);
            try {
                List<CompletableFuture<HttpResponse<String>>> given = Stream.of(bob, cy)
                        .map(taker -> CompletableFuture.supplyAsync(() -> handOver(owner, admin, taker.user(), atOnce),
                                admins)).toList();
                for (CompletableFuture<HttpResponse<String>> answer : given) {
                    assertEquals(200, answer.join().statusCode(), answer.join().body());
                }
            } finally {
                admins.shutdown();
            }
            JsonObject detail = json(get("api/admin/rooms/" + room, admin).body());
            Map<String, String> roles = detail.getJsonArray("members").getValuesAs(JsonObject.class).stream()
                    .collect(Collectors.toMap(m -> m.getString("user"), m -> m.getString("role")));
            List<String> owners = roles.entrySet().stream().filter(r -> r.getValue().equals("owner"))
                    .map(Map.Entry::getKey).toList();
            assertEquals(List.of(detail.getString("owner")), owners, "one owner, the room's: " + roles);
            assertEquals("moderator", roles.get(ann.user()));
            String other = owners.get(0).equals(bob.user()) ? cy.user() : bob.user();
            assertEquals("moderator", roles.get(other), "the first taker stayed on as a moderator: " + roles);
        }
    }

    private static HttpResponse<String> handOver(String path, String admin, String user, CyclicBarrier atOnce) {
        try {
            atOnce.await(10, TimeUnit.SECONDS);
            return Server.put(path, admin, "{\"user\":\"" + user + "\"}");
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    @Test
    void aPurgeIsRefusedWithoutItsDaysAndEveryOperationIsInTheAuditTrail() throws Exception {
        String admin = Server.adminToken();
        assertEquals(400, Server.post("api/admin/purge", admin, "{}").statusCode());
        assertEquals(400, Server.post("api/admin/purge", admin, "{\"olderThanDays\":0}").statusCode());
        HttpResponse<String> purged = Server.post("api/admin/purge", admin, "{\"olderThanDays\":3650}");
        assertEquals(200, purged.statusCode(), purged.body());
        assertEquals(0, json(purged.body()).getInt("deleted"), "nothing in this test server is ten years old");

        List<JsonObject> trail = array(get("api/admin/audit?limit=5", admin).body()).getValuesAs(JsonObject.class);
        assertEquals("purge", trail.get(0).getString("action"));
        assertEquals("admin", trail.get(0).getString("by"));
        assertEquals("0 removed", trail.get(0).getString("detail"));
        assertTrue(trail.size() <= 5);
        assertEquals(400, get("api/admin/audit?limit=0", admin).statusCode());
        assertEquals(200, get("api/admin/audit?limit=500", admin).statusCode());
        assertEquals(400, get("api/admin/audit?limit=501", admin).statusCode());
    }

    /**
     * What the API does not take is a 400 saying what is wrong, in the API's own error body, and nothing is done:
     * no JSON kind is converted, no field unknown to the operation is ignored, no number of the path or query is
     * answered as if the path did not exist.
     */
    @Test
    void badBodiesAndParametersAreRefusedSayingWhatIsWrongAndNothingIsDone() throws Exception {
        String admin = Server.adminToken();
        String room = Server.unique("strict");
        String user = Server.unique("quiet");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
            assertRefused(Server.put("api/admin/users/" + user + "/mute", admin, "{\"minutes\":\"10\"}"), 400,
                    "minutes must be a whole number");
            assertRefused(Server.put("api/admin/users/" + user + "/mute", admin, "{\"minute\":5}"), 400,
                    "unknown field minute; the fields are minutes");
            assertRefused(Server.put("api/admin/users/" + user + "/mute", admin, "{\"minutes\":2147483648}"), 400,
                    "minutes must be a whole number of at most 2147483647");
            assertTrue(array(get("api/admin/sanctions", admin).body()).getValuesAs(JsonObject.class).stream()
                    .noneMatch(s -> s.getString("user").equals(user)), "nobody was muted");

            String notices = "api/admin/rooms/" + room + "/notices";
            assertRefused(Server.post(notices, admin, "{\"text\":42}"), 400, "text must be text");
            assertRefused(Server.post(notices, admin, "{\"text\":\"hi\"}xyz"), 400, "the body is not valid JSON");
            assertRefused(Server.post(notices, admin, "[\"hi\"]"), 400, "the body must be a JSON object");
            assertRefused(HTTP.send(HttpRequest.newBuilder(Server.http(notices))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("hi")).build(), HttpResponse.BodyHandlers.ofString()),
                    415, "the API takes application/json bodies only");
            assertEquals(0, json(get("api/admin/rooms/" + room, admin).body()).getInt("seq"), "no notice stored");

            // Any case of the scheme (RFC 7235). A charset the server cannot write was taken from Accept on Payara,
            // and the answer failed with a 500 after the notice was stored.
            HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(Server.http(notices))
                    .header("Authorization", "bearer " + admin).header("Content-Type", "application/json")
                    .header("Accept", "application/json;charset=nope")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"once\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, posted.statusCode(), posted.body());
            assertEquals("application/json;charset=UTF-8",
                    posted.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
            assertEquals("once", ann.await("message").getString("text"));
            assertEquals(1, json(get("api/admin/rooms/" + room, admin).body()).getInt("seq"), "stored once");

            for (String seq : List.of("abc", "1.5", "9223372036854775808", "%D9%A1", "0", "-1",
                    "-9223372036854775808")) {
                assertRefused(delete("api/admin/rooms/" + room + "/messages/" + seq, admin), 400,
                        "seq must be a whole number from 1 to 9223372036854775807");
            }
            assertEquals(1, json(get("api/admin/rooms/" + room, admin).body()).getInt("seq"), "nothing deleted");
        }
        assertRefused(get("api/admin/audit?limit=abc", admin), 400, "limit must be a whole number from 1 to 500");
        assertRefused(get("api/admin/audit?limit=-9223372036854775808", admin), 400,
                "limit must be a whole number from 1 to 500");
        // An operation that takes no fields refuses one: a ban for 60 minutes would otherwise ban until lifted.
        assertRefused(Server.put("api/admin/users/someone/ban", admin, "{\"minutes\":60}"), 400,
                "unknown field minutes: the operation takes none");
        assertTrue(array(get("api/admin/sanctions", admin).body()).getValuesAs(JsonObject.class).stream()
                .noneMatch(s -> s.getString("user").equals("someone")), "nobody banned");
        assertRefused(Server.put("api/admin/limits", admin, "{}"), 400,
                "no limit given: framesPerSecond, frameBurst, maxFrameBytes or maxTextChars");
        assertRefused(Server.post("api/admin/users/a%0Ab/kick", admin, "{}"), 400,
                "a user name is 1-38 of letters, digits, _ - .");
        assertRefused(get("api/admin/nothing-here", admin), 404, "no such path in the API");
        HttpResponse<String> wrongMethod = get("api/admin/purge", admin);
        assertRefused(wrongMethod, 405, "the path does not take that method");
        assertTrue(wrongMethod.headers().firstValue("Allow").orElse("").contains("POST"), "Allow is kept");
        assertRefused(Server.post("api/auth/guest", "{\"nickname\":7}"), 400, "nickname must be text");
    }

    private static void assertRefused(HttpResponse<String> response, int status, String message) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        JsonObject error = json(response.body());
        assertEquals(status == 404 ? "not_found" : "bad_request", error.getString("error"));
        assertEquals(message, error.getString("message"));
    }

    @Test
    void theOpenApiDocumentDescribesTheAdminApi() throws Exception {
        // Payara serves it at the server's root, whatever the application's context root.
        HttpResponse<String> document = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + System.getProperty("it.http.port") + "/openapi")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, document.statusCode());
        for (String path : List.of("/admin/rooms/{room}/archive", "/admin/users/{user}/ban", "/admin/purge",
                "/auth/login")) {
            assertTrue(document.body().contains(path), path + " is described");
        }
        assertTrue(document.body().contains("Ban the user from the server"), "with the operations' summaries");
    }

    private static HttpResponse<String> call(String[] operation, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(Server.http(operation[1]))
                .header("Content-Type", "application/json")
                .method(operation[0], operation[2] == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(operation[2]));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    private static JsonArray array(String body) {
        return Json.createReader(new StringReader(body)).readArray();
    }
}
