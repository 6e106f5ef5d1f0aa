package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.room.RoomStore.Ack;
import jakarta.persistence.PersistenceException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.h2.api.ErrorCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Read markers written by {@link JpaRoomStore#ack} in one JDBC batch, on a migrated H2 file. */
class ReadMarkerWritesTest {

    @TempDir
    Path dir;

    private DataSource h2;

    @BeforeEach
    void schema() throws SQLException {
        h2 = TestDataSources.migratedH2(dir);
        execute("INSERT INTO room (id, name, epoch, last_seq, owner, created_at)"
                + " VALUES ('r1', 'lobby', 'e1', 10, 'ann', CURRENT_TIMESTAMP)");
        execute("INSERT INTO membership (id, room_id, username, role, acked_seq, read_seq, joined_at)"
                + " VALUES ('m1', 'r1', 'ann', 'OWNER', 4, 4, CURRENT_TIMESTAMP),"
                + " ('m2', 'r1', 'bob', 'MEMBER', 0, 0, CURRENT_TIMESTAMP)");
    }

    @Test
    void movesMarkersForwardOnlyAndNoFurtherThanTheRoom() throws SQLException {
        store(h2).ack(List.of(new Ack("lobby", "ann", 2, 2), new Ack("lobby", "bob", 99, 99),
                new Ack("nowhere", "ann", 5, 5)));

        assertEquals(List.of("ann 4", "bob 10"), markers(), "ann's marker stays, bob's stops at the last seq");
    }

    @Test
    void theReadMarkerMovesOnItsOwnAndNeverPastTheAckedSeq() throws SQLException {
        store(h2).ack(List.of(new Ack("lobby", "bob", 7, 3)));
        store(h2).ack(List.of(new Ack("lobby", "bob", 5, 5), new Ack("lobby", "ann", 4, 4)));

        assertEquals(List.of("ann 4 4", "bob 7 5"), markers(true), "bob read on; ann had read up to 4 already");
        store(h2).ack(List.of(new Ack("lobby", "bob", 8, 99)));
        assertEquals(List.of("ann 4 4", "bob 8 8"), markers(true), "never read past the acked seq");
        store(h2).ack(List.of(new Ack("lobby", "bob", 99, 99)));
        assertEquals(List.of("ann 4 4", "bob 10 10"), markers(true), "nor past the room's last seq");
    }

    @Test
    void reportsWhyTheBatchFailedEvenWhenItsRollbackFailsToo() throws SQLException {
        execute("DROP TABLE membership");
        SQLException broken = new SQLException("the connection broke");
        JpaRoomStore store = store(TestDataSources.failing(h2, "rollback", null, broken));

        PersistenceException failure = assertThrows(PersistenceException.class,
                () -> store.ack(List.of(new Ack("lobby", "ann", 5, 5))));

        assertEquals(ErrorCode.TABLE_OR_VIEW_NOT_FOUND_1,
                ((SQLException) failure.getCause()).getErrorCode(), "the batch's own failure: " + failure.getCause());
        assertArrayEquals(new Throwable[] {broken}, failure.getCause().getSuppressed());
    }

    @Test
    void markersCommittedAreNotReportedUnwrittenWhenTheConnectionFailsAfter() throws SQLException {
        SQLException broken = new SQLException("the connection broke");
        JpaRoomStore store = store(TestDataSources.failing(h2, "setAutoCommit", true, broken));

        store.ack(List.of(new Ack("lobby", "bob", 7, 7)));

        assertEquals(List.of("ann 4", "bob 7"), markers());
    }

    private static JpaRoomStore store(DataSource dataSource) {
        JpaRoomStore store = new JpaRoomStore();
        store.dataSource = dataSource;
        return store;
    }

    private List<String> markers() throws SQLException {
        return markers(false);
    }

    /** Each member's acked seq, and with {@code read} the read marker after it. */
    private List<String> markers(boolean read) throws SQLException {
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT username, acked_seq, read_seq FROM membership ORDER BY username")) {
            List<String> markers = new ArrayList<>();
            while (rows.next()) {
                markers.add(rows.getString(1) + " " + rows.getLong(2) + (read ? " " + rows.getLong(3) : ""));
            }
            return markers;
        }
    }

    private void execute(String sql) throws SQLException {
        TestDataSources.execute(h2, sql);
    }
}
