package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.Limits;
import dev.parley.delivery.GroupCommit.Outcome;
import dev.parley.delivery.MessageStore.NewMessage;
import dev.parley.delivery.StoredMessage;
import dev.parley.delivery.Tip;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** New messages written by {@link JdbcMessageWriter}, a batch in one transaction, on a migrated H2 file. */
class MessageWritesTest {

    @TempDir
    Path dir;

    private DataSource h2;
    private final AtomicInteger transactions = new AtomicInteger();
    private JdbcMessageWriter writer;

    @BeforeEach
    void rooms() throws SQLException {
        h2 = TestDataSources.migratedH2(dir);
        TestDataSources.execute(h2, "INSERT INTO room (id, name, epoch, last_seq, owner, created_at, archived_at)"
                + " VALUES ('r1', 'lobby', 'e1', 10, 'ann', CURRENT_TIMESTAMP, NULL),"
                + " ('r2', 'dev', 'e2', 0, 'ann', CURRENT_TIMESTAMP, NULL),"
                + " ('r3', 'attic', 'e3', 4, 'ann', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        writer = new JdbcMessageWriter(TestDataSources.counting(h2, transactions));
    }

    @Test
    void storesEachRoomsMessagesInSeqOrderAfterItsLastSeq() throws SQLException {
        List<Outcome> outcomes = writer.write(List.of(text("lobby", "ann", "a1", "hello"),
                text("dev", "bob", "b1", "hi"), text("lobby", "bob", "b2", "again")));

        assertEquals(List.of("lobby 11 ann hello", "dev 1 bob hi", "lobby 12 bob again"), described(outcomes));
        assertEquals(List.of("dev 1 bob hi", "lobby 11 ann hello", "lobby 12 bob again"), stored());
        assertEquals(List.of("attic 4", "dev 1", "lobby 12"), lastSeqs());
        assertEquals(1, transactions.get(), "one transaction for the batch");
    }

    @Test
    void refusesWhatCannotBeStoredAndStoresTheRestOfTheBatch() throws SQLException {
        List<Outcome> outcomes = writer.write(List.of(text("nowhere", "ann", "a1", "lost"),
                text("attic", "ann", "a2", "dusty"),
                new NewMessage("lobby", "ann", "re", StoredMessage.TEXT, "a3", 11L),
                text("lobby", "bob", "b1", "kept"),
                new NewMessage("lobby", "ann", "re 10", StoredMessage.TEXT, "a4", 10L)));

        assertEquals(List.of(ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.BAD_REQUEST),
                outcomes.subList(0, 3).stream().map(o -> ((ChatException) o.refused()).code()).toList());
        assertEquals(List.of("lobby 11 bob kept", "lobby 12 ann re 10"), stored(),
                "a reply to seq 11 came before seq 11 was given; one to the room's latest, 10, is stored");
        assertEquals(List.of("attic 4", "dev 0", "lobby 12"), lastSeqs());
    }

    @Test
    void aResendIsAnsweredWithTheFirstReceiptAndStoresNothing() throws SQLException {
        StoredMessage first = writer.write(List.of(tip("lobby", "ann", "a1"))).get(0).appended().message();

        Outcome resent = writer.write(List.of(tip("lobby", "ann", "a1"), text("dev", "bob", "b1", "hi"))).get(0);

        assertTrue(resent.appended().duplicate());
        assertEquals(first, resent.appended().message(), "the first receipt, read back whole");
        assertEquals(List.of("dev 1 bob hi", "lobby 11 ann thanks"), stored());
        assertEquals(List.of("attic 4", "dev 1", "lobby 11"), lastSeqs());
        assertEquals(3, transactions.get(), "the unique key refused the resend's batch once; it was written again");
    }

    @Test
    void aSendThatMayBeResentIsLookedUpInTheFirstTransaction() throws SQLException {
        StoredMessage first = writer.write(List.of(text("lobby", "ann", "a1", "hello"))).get(0).appended().message();

        Outcome resent = writer.write(List.of(text("lobby", "ann", "a1", "hello").asMaybeResent())).get(0);

        assertEquals(first, resent.appended().message());
        assertTrue(resent.appended().duplicate());
        assertEquals(2, transactions.get(), "no batch was rolled back");
    }

    @Test
    void aBatchWithNothingToLookUpDoesNotPrepareTheLookup() throws SQLException {
        JdbcMessageWriter noLookups = new JdbcMessageWriter(TestDataSources.failing(h2, "prepareStatement",
                JdbcMessageWriter.BY_CLIENT_ID, new SQLException("the lookup was prepared")));

        noLookups.write(List.of(text("lobby", "ann", "a1", "hello"), text("dev", "bob", "b1", "hi")));

        assertEquals(List.of("dev 1 bob hi", "lobby 11 ann hello"), stored());
    }

    @Test
    void aBatchThatFailsTwiceFailsWithTheDatabasesErrorAndStoresNothing() throws SQLException {
        SQLException broken = new SQLException("connection broken");
        JdbcMessageWriter failing = new JdbcMessageWriter(TestDataSources.failing(h2, "commit", null, broken));

        SQLException thrown = assertThrows(SQLException.class,
                () -> failing.write(List.of(text("lobby", "ann", "a1", "hello"))));

        assertSame(broken, thrown);
        assertEquals(List.of(), stored());
        assertEquals(List.of("attic 4", "dev 0", "lobby 10"), lastSeqs());
    }

    /** 16, 64, and past 64 rooms in a batch: each size of locking query, all the batch's rooms locked in one. */
    @Test
    void aBatchOfManyRoomsIsStoredInOneTransaction() throws SQLException {
        for (int rooms : new int[] {16, 64, 65, 200}) {
            List<NewMessage> batch = new ArrayList<>();
            List<String> rows = new ArrayList<>();
            for (int i = 0; i < rooms; i++) {
                String name = "r" + rooms + "_" + i;
                rows.add("('" + name + "', '" + name + "', 'e', 0, 'ann', CURRENT_TIMESTAMP)");
                batch.add(text(name, "ann", "c" + rooms + "_" + i, "hi"));
            }
            TestDataSources.execute(h2, "INSERT INTO room (id, name, epoch, last_seq, owner, created_at) VALUES "
                    + String.join(", ", rows));
            int before = transactions.get();

            List<Outcome> outcomes = writer.write(batch);

            assertEquals(before + 1, transactions.get(), rooms + " rooms in one transaction");
            assertTrue(outcomes.stream().allMatch(o -> o.appended() != null && o.appended().message().seq() == 1),
                    rooms + " rooms, each with its first message");
        }
    }

    /**
     * The column holds the longest text an operator may allow, {@link Limits#MAX_TEXT_CHARS}
     * characters, each outside the BMP: two UTF-16 units each, the whole column.
     */
    @Test
    void theLongestTextAllowedIsStoredWhole() throws SQLException {
        String emoji = "\uD83D\uDE00".repeat(Limits.MAX_TEXT_CHARS);
        assertEquals(MessageEntity.TEXT_COLUMN, emoji.length(), "the column is as long as the longest text");

        List<Outcome> outcomes = writer.write(List.of(text("lobby", "ann", "a1", emoji)));

        assertNull(outcomes.get(0).refused());
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement();
             ResultSet text = statement.executeQuery("SELECT text FROM message")) {
            assertTrue(text.next());
            assertEquals(emoji, text.getString(1));
        }
    }

    @Test
    void aMessageTheDatabaseRefusesFailsAloneAndTheRestOfItsBatchIsStored() throws SQLException {
        String tooLong = "x".repeat(MessageEntity.TEXT_COLUMN + 1);

        List<Outcome> outcomes = writer.write(List.of(text("lobby", "ann", "a1", "hello"),
                text("lobby", "eve", "e1", tooLong), text("dev", "bob", "b1", "hi")));

        assertEquals(ErrorCode.BAD_REQUEST, ((ChatException) outcomes.get(1).refused()).code());
        assertEquals(List.of("lobby 11 ann hello", "dev 1 bob hi"),
                described(List.of(outcomes.get(0), outcomes.get(2))));
        assertEquals(List.of("dev 1 bob hi", "lobby 11 ann hello"), stored());
        assertEquals(List.of("attic 4", "dev 1", "lobby 11"), lastSeqs());
        assertEquals(4, transactions.get(), "the batch, then each message alone");
    }

    @Test
    void aMessageTheDatabaseRefusesAloneIsABadRequest() throws SQLException {
        String tooLong = "x".repeat(MessageEntity.TEXT_COLUMN + 1);

        Outcome outcome = writer.write(List.of(text("lobby", "eve", "e1", tooLong))).get(0);

        assertEquals(ErrorCode.BAD_REQUEST, ((ChatException) outcome.refused()).code());
        assertEquals(List.of(), stored());
        assertEquals(1, transactions.get(), "not written again: it would fail again");
    }

    @Test
    void aRepeatInOneBatchIsStoredOnce() throws SQLException {
        List<Outcome> outcomes = writer.write(List.of(text("lobby", "ann", "a1", "hello"),
                text("lobby", "ann", "a1", "hello")));

        assertEquals(outcomes.get(0).appended().message(), outcomes.get(1).appended().message());
        assertTrue(outcomes.get(1).appended().duplicate());
        assertEquals(List.of("lobby 11 ann hello"), stored());
    }

    @Test
    void aClientMessageIdSentToAnotherRoomIsAConflict() throws SQLException {
        writer.write(List.of(text("lobby", "ann", "a1", "hello")));

        Outcome other = writer.write(List.of(text("dev", "ann", "a1", "hello").asMaybeResent())).get(0);

        assertNull(other.appended());
        assertEquals(ErrorCode.CONFLICT, ((ChatException) other.refused()).code());
        assertEquals(List.of("lobby 11 ann hello"), stored());
    }

    private static NewMessage text(String room, String from, String clientMsgId, String text) {
        return new NewMessage(room, from, text, StoredMessage.TEXT, clientMsgId, null);
    }

    private static NewMessage tip(String room, String from, String clientMsgId) {
        return new NewMessage(room, from, "thanks", StoredMessage.TIP, clientMsgId, 3L, new Tip("bob", 25));
    }

    private static List<String> described(List<Outcome> outcomes) {
        return outcomes.stream().map(o -> o.appended().message())
                .map(m -> m.room() + " " + m.seq() + " " + m.from() + " " + m.text()).toList();
    }

    private List<String> stored() throws SQLException {
        return rows("SELECT r.name, m.seq, m.sender, m.text FROM message m JOIN room r ON r.id = m.room_id"
                + " ORDER BY r.name, m.seq", 4);
    }

    private List<String> lastSeqs() throws SQLException {
        return rows("SELECT name, last_seq FROM room ORDER BY name", 2);
    }

    private List<String> rows(String sql, int columns) throws SQLException {
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> described = new ArrayList<>();
            while (rows.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(rows.getString(i));
                }
                described.add(String.join(" ", values));
            }
            return described;
        }
    }
}
