package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.store.Ids;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A join and a room ban of the same user at the same time, in the PostgreSQL run: the ban is made beside the
 * server as the store makes it (the room's row locked, then the ban written) and held open while the user's
 * join arrives. Read without the lock, the join saw no ban, made her a member and committed; the ban committed
 * too, and she stayed a member whom every later join let in.
 */
@ExtendWith({FreshServer.class, ArquillianExtension.class})
@RunAsClient
@Tag("database")
class BanRaceIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Server.war();
    }

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
            while (early == null && !joinWaits(watch) && System.nanoTime() < deadline) {
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
     * Whether a session of the server waits for a lock: the join, behind the ban's lock of the room (reading
     * the room locked, or without the lock only when it writes the membership, whose key names the room).
     */
    private static boolean joinWaits(Connection watch) throws Exception {
        try (PreparedStatement waiting = watch.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                + " WHERE wait_event_type = 'Lock'");
             ResultSet count = waiting.executeQuery()) {
            count.next();
            return count.getLong(1) > 0;
        }
    }
}
