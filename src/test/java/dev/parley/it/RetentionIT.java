package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.store.Ids;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The retention timer on the deployed WAR: the PostgreSQL run's server keeps ten years of messages and
 * checks every 2 s. A message that turns older than that a few seconds after it was written into the database
 * beside the server (as an old installation would have it) disappears from history then, pinned or not; newer ones
 * stay. Written already older, it could be purged before the test first saw it.
 */
@ExtendWith({FreshServer.class, ArquillianExtension.class})
@RunAsClient
@Tag("retention")
class RetentionIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The PostgreSQL run's {@code parley.retention.days}. */
    private static final long RETENTION_DAYS = 3650;
    /** How long after it is written the old message is past the retention. */
    private static final Duration AGES_IN = Duration.ofSeconds(5);

    /**
     * The timer removes what is older than the retention; a replay passes over the seq it took (it will never
     * come), and live messages go on after it.
     */
    @Test
    void messagesOlderThanTheRetentionAreRemovedByTheTimer() throws Exception {
        assertTrue(TestEnvironment.hasPostgres(), "runs in the PostgreSQL run only (tag retention)");
        String room = Server.unique("ancient");
        JsonObject bob = Server.guest(Server.unique("bob"));
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
            try (WsClient bobsPhone = WsClient.hello(Server.ws(), bob.getString("token"))) {
                bobsPhone.send(WsClient.frame("join").add("ref", "j").add("room", room));
                bobsPhone.reply("j", "joined"); // his read marker stays at 0: this phone acks nothing
            }
            ann.send(WsClient.send("new", room, "from today", "retention-new"));
            ann.reply("new", "receipt");
            writeOldMessage(room, "ten years old");
            // Pinned, it goes all the same, and its pin with it.
            ann.send(WsClient.frame("pin").add("ref", "p").add("room", room).add("seq", 2));
            ann.reply("p", "ok");
            assertEquals(List.of("from today", "ten years old"), texts(ann, room), "the old one is there at first");

            long deadline = System.nanoTime() + WAIT.toNanos();
            List<String> left = texts(ann, room);
            while (left.contains("ten years old") && System.nanoTime() < deadline) {
                Server.pause(500);
                left = texts(ann, room);
            }
            assertEquals(List.of("from today"), left, "the timer removed what is older than ten years");
            ann.send(WsClient.frame("pins").add("ref", "pins").add("room", room));
            assertEquals(0, ann.reply("pins", "pins").getJsonArray("items").size(), "and its pin");

            ann.send(WsClient.send("after", room, "after the purge", "retention-after"));
            ann.reply("after", "receipt");
            try (WsClient bobsTablet = WsClient.hello(Server.ws(), bob.getString("token"))) {
                List<JsonObject> replay = bobsTablet.untilSynced(room);
                assertEquals(List.of(1L, 3L, 4L), WsClient.seqs(replay), "seq 2 was removed (3 is its pin)");
                assertEquals(4, replay.get(replay.size() - 1).getInt("seq"));
                ann.send(WsClient.send("live", room, "and live again", "retention-live"));
                assertEquals("and live again", bobsTablet.await("message", m -> m.getInt("seq") == 5)
                        .getString("text"));
            }
        }
    }

    /**
     * The room's next seq, dated {@link #AGES_IN} short of the retention, with the room row's seq moved on as the
     * server would.
     */
    private static void writeOldMessage(String room, String text) throws Exception {
        try (Connection db = TestEnvironment.postgresBeside()) {
            db.setAutoCommit(false);
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO message (id, room_id, seq, sender,"
                    + " text, kind, created_at) SELECT ?, id, last_seq + 1, 'ghost', ?, 'text', ? FROM room"
                    + " WHERE name = ?");
                 PreparedStatement move = db.prepareStatement(
                         "UPDATE room SET last_seq = last_seq + 1 WHERE name = ?")) {
                Instant writtenAt = Instant.now().minus(Duration.ofDays(RETENTION_DAYS)).plus(AGES_IN)
                        .truncatedTo(ChronoUnit.MILLIS);
                // An id made from its time, as Parley has always made them: purging reads the ids' range.
                insert.setString(1, Ids.next(writtenAt.toEpochMilli()));
                insert.setString(2, text);
                insert.setObject(3, LocalDateTime.ofInstant(writtenAt, ZoneOffset.UTC));
                insert.setString(4, room);
                assertEquals(1, insert.executeUpdate());
                move.setString(1, room);
                move.executeUpdate();
            }
            db.commit();
        }
    }

    /** The texts of the room's history (not the events, as a pin's). */
    private static List<String> texts(WsClient client, String room) {
        String ref = "h" + System.nanoTime();
        client.send(WsClient.frame("history").add("ref", ref).add("room", room));
        return client.reply(ref, "messages").getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .filter(m -> m.getString("kind").equals("text")).map(m -> m.getString("text")).toList();
    }
}
