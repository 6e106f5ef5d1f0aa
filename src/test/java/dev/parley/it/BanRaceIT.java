package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.store.Ids;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Races on the database, in the PostgreSQL run: one side of each is made beside the server as the store makes
 * it and held open while the server's side arrives. A join and a room ban of the same user at the same time:
 * read without the lock, the join saw no ban, made her a member and committed; the ban committed too, and she
 * stayed a member whom every later join let in. Two bans, or two blocks, at once: both insert one row.
 */
@ExtendWith({FreshServer.class, ArquillianExtension.class})
@RunAsClient
@Tag("database")
class BanRaceIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aJoinDecidedWhileABanIsMadeIsRefusedByIt() throws Exception {
        assertTrue(TestEnvironment.hasPostgres(), "runs in the PostgreSQL run only (tag database)");
        String room = Server.unique("door");
        JsonObject eve = Server.guest(Server.unique("eve"));
        try (WsClient owner = WsClient.joined(Server.unique("ann"), room);
             WsClient eves = WsClient.hello(Server.ws(), eve.getString("token"));
             Connection ban = TestEnvironment.postgresBeside();
             Connection watch = TestEnvironment.postgresBeside()) {
            ban.setAutoCommit(false);
            banUncommitted(ban, room, eve.getString("user"));

            eves.send(WsClient.frame("join").add("ref", "j").add("room", room));
            // The join is answered, or waits for the ban's lock: then the ban ends.
            JsonObject early = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (early == null && !aSessionWaitsFor(ban, watch) && System.nanoTime() < deadline) {
                early = eves.replyWithin("j", Duration.ofMillis(50));
            }
            ban.commit();
            JsonObject answer = early != null ? early : eves.replyOrClose("j");

            assertEquals("error", answer.getString("type"), "the join let her in past the ban: " + answer);
            assertEquals("banned", answer.getString("code"));
            eves.send(WsClient.frame("history").add("ref", "h").add("room", room));
            assertEquals("not_member", eves.reply("h", "error").getString("code"));
            eves.send(WsClient.frame("join").add("ref", "again").add("room", room));
            assertEquals("banned", eves.reply("again", "error").getString("code"), "and she stays out");
        }
    }

    /**
     * Two admins ban one user at once: both find no ban and insert one, and the second insert waits for the first
     * and then breaks the key. The loser is answered as the winner was (its second run replaces the row), not 500.
     */
    @Test
    void aBanMadeWhileAnotherAdminsIsUncommittedIsAnsweredAsTheWinnersWas() throws Exception {
        assertTrue(TestEnvironment.hasPostgres(), "runs in the PostgreSQL run only (tag database)");
        String user = Server.guest(Server.unique("mallory")).getString("user");
        String admin = Server.adminToken();
        try (Connection other = TestEnvironment.postgresBeside();
             Connection watch = TestEnvironment.postgresBeside()) {
            other.setAutoCommit(false);
            insertUncommitted(other, "INSERT INTO user_sanction (username, kind, imposed_by, created_at)"
                    + " VALUES (?, 'BAN', 'another admin', ?)", user);
            CompletableFuture<HttpResponse<String>> ban = CompletableFuture.supplyAsync(() -> put(
                    "api/admin/users/" + user + "/ban", admin));
            awaitWaitingFor(other, watch, ban);
            other.commit();

            HttpResponse<String> answer = ban.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.body());
            JsonObject listed = Json.createReader(new StringReader(Server.get("api/admin/sanctions", admin).body()))
                    .readArray().stream().map(JsonValue::asJsonObject)
                    .filter(sanction -> sanction.getString("user").equals(user)).findFirst().orElseThrow();
            assertEquals(Server.ADMIN, listed.getString("by"), "the later ban replaced the other's");
        }
    }

    /** The same block from two devices at once: the one that lost the race on the key is answered {@code ok}. */
    @Test
    void aBlockMadeWhileAnotherDevicesIsUncommittedIsOk() throws Exception {
        assertTrue(TestEnvironment.hasPostgres(), "runs in the PostgreSQL run only (tag database)");
        String eve = Server.unique("eve");
        try (WsClient ann = WsClient.hello(Server.ws(), Server.guest(Server.unique("ann")).getString("token"));
             Connection otherDevice = TestEnvironment.postgresBeside();
             Connection watch = TestEnvironment.postgresBeside()) {
            otherDevice.setAutoCommit(false);
            insertUncommitted(otherDevice, "INSERT INTO user_block (blocker, blocked, created_at) VALUES (?, '"
                    + eve + "', ?)", ann.user());
            ann.send(WsClient.frame("block").add("ref", "b").add("user", eve));
            JsonObject early = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (early == null && !aSessionWaitsFor(otherDevice, watch) && System.nanoTime() < deadline) {
                early = ann.replyWithin("b", Duration.ofMillis(50));
            }
            assertNull(early, "the block was answered without waiting for the other device's");
            assertTrue(aSessionWaitsFor(otherDevice, watch), "the block never waited for the other device's row");
            otherDevice.commit();
            assertEquals("ok", ann.replyOrClose("b").getString("type"));
        }
    }

    private static HttpResponse<String> put(String path, String token) {
        try {
            return Server.put(path, token, "{}");
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    private static void awaitWaitingFor(Connection holder, Connection watch, CompletableFuture<?> request)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!aSessionWaitsFor(holder, watch)) {
            if (request.isDone()) {
                fail("the request was answered without waiting for the other's row: "
                        + request.handle((answer, failure) -> failure != null ? failure : answer).join());
            }
            assertTrue(System.nanoTime() < deadline, "the request never waited for the other's row");
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    private static void insertUncommitted(Connection db, String insert, String user) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(insert)) {
            statement.setString(1, user);
            statement.setObject(2, LocalDateTime.now(ZoneOffset.UTC));
            assertEquals(1, statement.executeUpdate());
        }
    }

    private static void banUncommitted(Connection db, String room, String user) throws Exception {
        try (PreparedStatement lock = db.prepareStatement("SELECT id FROM room WHERE name = ? FOR UPDATE");
             PreparedStatement insert = db.prepareStatement("INSERT INTO room_ban (id, room_id, username,"
                     + " banned_by, banned_at) SELECT ?, id, ?, 'moderator', ? FROM room WHERE name = ?")) {
            lock.setString(1, room);
            try (ResultSet locked = lock.executeQuery()) {
                assertTrue(locked.next(), "the room exists");
            }
            insert.setString(1, Ids.next(System.currentTimeMillis()));
            insert.setString(2, user);
            insert.setObject(3, LocalDateTime.now(ZoneOffset.UTC));
            insert.setString(4, room);
            assertEquals(1, insert.executeUpdate());
        }
    }

    /**
     * Whether a session waits for a lock that {@code holder} holds: the server's join, behind the ban's lock of
     * the room (reading the room locked, or without the lock only when it writes the membership, whose key names
     * the room); an insert, behind the other's uncommitted row of the same key. No other test's wait counts.
     */
    private static boolean aSessionWaitsFor(Connection holder, Connection watch) throws Exception {
        int holderPid;
        try (PreparedStatement pid = holder.prepareStatement("SELECT pg_backend_pid()");
             ResultSet row = pid.executeQuery()) {
            row.next();
            holderPid = row.getInt(1);
        }
        try (PreparedStatement waiting = watch.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                + " WHERE ? = ANY(pg_blocking_pids(pid))")) {
            waiting.setInt(1, holderPid);
            try (ResultSet count = waiting.executeQuery()) {
                count.next();
                return count.getLong(1) > 0;
            }
        }
    }
}
