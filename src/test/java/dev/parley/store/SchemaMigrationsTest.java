package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationInfo;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migrations on both databases Parley runs on, with data in them: a database at version 1 and one made
 * by a Parley before migrations (no history table) both reach the newest version with every row intact.
 */
class SchemaMigrationsTest {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Test
    void h2AtVersionOneKeepsItsDataUpToTheNewest(@TempDir Path dir) throws Exception {
        fromVersionOne(h2(dir));
    }

    @Test
    void h2MadeBeforeMigrationsIsBaselinedAndMigrated(@TempDir Path dir) throws Exception {
        fromBeforeMigrations(h2(dir));
    }

    @Test
    void postgresAtVersionOneKeepsItsDataUpToTheNewest() throws Exception {
        fromVersionOne(postgres("v1"));
    }

    @Test
    void postgresMadeBeforeMigrationsIsBaselinedAndMigrated() throws Exception {
        fromBeforeMigrations(postgres("generated"));
    }

    @Test
    void h2OfAnotherApplicationIsRefusedAndLeftAsItWas(@TempDir Path dir) throws Exception {
        anotherApplications(h2(dir));
    }

    @Test
    void postgresOfAnotherApplicationIsRefusedAndLeftAsItWas() throws Exception {
        anotherApplications(postgres("shared"));
    }

    /** Baselined, its next migration would fail at every start: refused before anything is written. */
    private static void anotherApplications(DataSource db) throws Exception {
        execute(db, "CREATE TABLE customer (id INT PRIMARY KEY)");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> SchemaMigrations.migrate(db));
        assertTrue(refused.getMessage().endsWith("has tables, none of them Parley's (customer): give Parley a"
                + " database or schema of its own"), refused.getMessage());
        assertEquals(0, SchemaMigrations.configure(db).load().info().applied().length, "no history written");
        execute(db, "DROP TABLE customer");
        SchemaMigrations.migrate(db);
        assertNewest(db);
    }

    @Test
    void postgresKeepsTheRoomPagesMostlyFree() throws Exception {
        DataSource db = postgres("rooms");
        SchemaMigrations.migrate(db);

        assertEquals(List.of("{fillfactor=10}"), rows(db, "SELECT reloptions FROM pg_class WHERE relname = 'room'"));
    }

    @Test
    void h2OwnersWhoCameBackAsMembersAreOwnersAgain(@TempDir Path dir) throws Exception {
        ownersBack(h2(dir));
    }

    @Test
    void postgresOwnersWhoCameBackAsMembersAreOwnersAgain() throws Exception {
        ownersBack(postgres("owners"));
    }

    /** Version 11: a room's maker who left and joined again was stored as a member; the owner again now. */
    private static void ownersBack(DataSource db) throws Exception {
        SchemaMigrations.configure(db).target("10").load().migrate();
        execute(db, """
                INSERT INTO room (id, name, epoch, last_seq, owner, created_at)
                  VALUES ('r1', 'lobby', 'e1', 0, 'ann', TIMESTAMP '2026-01-02 03:04:05');
                INSERT INTO room (id, name, epoch, last_seq, owner, peer, access_mode, created_at)
                  VALUES ('r2', 'dm-0123456789abcdef01234567', 'e2', 0, 'ann', 'bob', 'INVITE',
                          TIMESTAMP '2026-01-02 03:04:05');
                INSERT INTO membership (id, room_id, username, role, acked_seq, joined_at)
                  VALUES ('m1', 'r1', 'ann', 'MEMBER', 0, TIMESTAMP '2026-01-02 03:04:06'),
                         ('m2', 'r1', 'bob', 'MODERATOR', 0, TIMESTAMP '2026-01-02 03:04:06'),
                         ('m3', 'r2', 'ann', 'MEMBER', 0, TIMESTAMP '2026-01-02 03:04:06'),
                         ('m4', 'r2', 'bob', 'MEMBER', 0, TIMESTAMP '2026-01-02 03:04:06');
                """);

        SchemaMigrations.migrate(db);

        assertEquals(List.of("m1|OWNER", "m2|MODERATOR", "m3|MEMBER", "m4|MEMBER"),
                rows(db, "SELECT id, role FROM membership ORDER BY id"), "nobody runs a direct conversation");
    }

    private static void fromVersionOne(DataSource db) throws Exception {
        SchemaMigrations.configure(db).target("1").load().migrate();
        insertVersionOneRows(db);

        SchemaMigrations.migrate(db);

        assertNewest(db);
        assertVersionOneRowsIntact(db);
        assertPinsAndReactionsGoWithTheirMessages(db);
    }

    private static void fromBeforeMigrations(DataSource db) throws Exception {
        // What EclipseLink generated is what version 1 says, without Flyway's history table.
        execute(db, resource("db/migration/V1__initial_schema.sql"));
        insertVersionOneRows(db);

        SchemaMigrations.migrate(db);

        List<MigrationInfo> applied = List.of(SchemaMigrations.configure(db).load().info().applied());
        assertEquals("BASELINE", applied.get(0).getType().name(), "version 1 is taken as it is");
        assertNewest(db);
        assertVersionOneRowsIntact(db);
        assertPinsAndReactionsGoWithTheirMessages(db);
    }

    /**
     * Retention and purges delete messages in bulk: the database takes their pins and reactions with them. A
     * reaction of eleven UTF-16 units and seven code points, stored whole.
     */
    private static void assertPinsAndReactionsGoWithTheirMessages(DataSource db) throws SQLException {
        execute(db, "INSERT INTO pin (room_id, seq, pinned_by, pinned_at)"
                + " VALUES ('r1', 1, 'ann', TIMESTAMP '2026-01-02 03:04:09'),"
                + " ('r1', 2, 'ann', TIMESTAMP '2026-01-02 03:04:09')");
        String family = "👨‍👩‍👧‍👦";
        String longest = "x".repeat(32);
        execute(db, "INSERT INTO reaction (room_id, seq, username, emoji, reacted_at)"
                + " VALUES ('r1', 1, 'bob', '" + family + "', TIMESTAMP '2026-01-02 03:04:09'),"
                + " ('r1', 1, 'bob', '" + longest + "', TIMESTAMP '2026-01-02 03:04:09'),"
                + " ('r1', 2, 'ann', '👍', TIMESTAMP '2026-01-02 03:04:09')");
        execute(db, "DELETE FROM message WHERE id = 'x2'");
        assertEquals(List.of("1"), rows(db, "SELECT seq FROM pin"), "the pin of the message deleted went with it");
        assertEquals(List.of("1|" + longest, "1|" + family), rows(db, "SELECT seq, emoji FROM reaction ORDER BY emoji"),
                "the reaction to the message deleted went with it");
    }

    private static void insertVersionOneRows(DataSource db) throws SQLException {
        execute(db, """
                INSERT INTO room (id, name, epoch, last_seq, owner, access_mode, password_hash, created_at)
                  VALUES ('r1', 'lobby', 'e1', 2, 'ann', NULL, NULL, TIMESTAMP '2026-01-02 03:04:05');
                INSERT INTO membership (id, room_id, username, role, acked_seq, joined_at)
                  VALUES ('m1', 'r1', 'ann', 'OWNER', 1, TIMESTAMP '2026-01-02 03:04:05');
                INSERT INTO message (id, room_id, seq, sender, text, kind, reply_to, client_msg_id, created_at)
                  VALUES ('x1', 'r1', 1, 'ann', 'hello', 'text', NULL, 'c1', TIMESTAMP '2026-01-02 03:04:06');
                INSERT INTO message (id, room_id, seq, sender, text, kind, reply_to, client_msg_id, created_at)
                  VALUES ('x2', 'r1', 2, 'bob', 'hi ann', 'text', 1, 'c2', TIMESTAMP '2026-01-02 03:04:07');
                INSERT INTO room_ban (id, room_id, username, banned_by, banned_at)
                  VALUES ('b1', 'r1', 'eve', 'ann', TIMESTAMP '2026-01-02 03:04:08');
                INSERT INTO account (username, password_hash, roles, created_at)
                  VALUES ('ann', 'pbkdf2$hash', 'admin', TIMESTAMP '2026-01-01 00:00:00');
                """);
    }

    private static void assertVersionOneRowsIntact(DataSource db) throws SQLException {
        assertEquals(List.of("lobby|e1|2|ann|null|null"),
                rows(db, "SELECT name, epoch, last_seq, owner, archived_at, topic FROM room"), "no room has a topic");
        assertEquals(List.of("ann|OWNER|1|1"), rows(db, "SELECT username, role, acked_seq, read_seq FROM membership"),
                "read up to what was acked, as when they were one");
        assertEquals(List.of("1|ann|hello|null|c1|null|null", "2|bob|hi ann|1|c2|null|null"),
                rows(db, "SELECT seq, sender, text, reply_to, client_msg_id, deleted_at, target_seq FROM message"
                        + " ORDER BY seq"));
        assertEquals(List.of("eve|ann"), rows(db, "SELECT username, banned_by FROM room_ban"));
        assertEquals(List.of("ann|pbkdf2$hash|admin|0"),
                rows(db, "SELECT username, password_hash, roles, token_generation FROM account"),
                "the tokens issued before generations are of the first");
    }

    private static void assertNewest(DataSource db) throws SQLException {
        MigrationInfo[] all = SchemaMigrations.configure(db).load().info().all();
        assertEquals(all[all.length - 1].getVersion(), SchemaMigrations.configure(db).load().info().current()
                .getVersion(), "at the newest version");
        assertEquals(List.of(), rows(db, "SELECT username FROM user_sanction"));
        assertEquals(List.of(), rows(db, "SELECT actor FROM audit_entry"));
        assertEquals(List.of(), rows(db, "SELECT name, limit_value FROM changed_limit"), "the configured limits hold");
        assertEquals(List.of("MEMBERSHIP", "PIN", "REACTION", "ROOM_BAN", "ROOM_LINK", "ROOM_MUTE"), rows(db,
                "SELECT UPPER(table_name) FROM information_schema.table_constraints"
                + " WHERE constraint_type = 'FOREIGN KEY' ORDER BY UPPER(table_name)"),
                "rooms are referenced by all but the messages; pins and reactions by messages");
        assertEquals(List.of(), rows(db, "SELECT seq FROM pin"), "nothing pinned");
        assertEquals(List.of(), rows(db, "SELECT seq FROM reaction"), "nothing reacted to");
        assertEquals(List.of(), rows(db, "SELECT code FROM room_link"), "no invitation links");
        assertEquals(List.of("ID", "ROOM_ID,SEQ", "SENDER,CLIENT_MSG_ID"), indexedColumns(db, "message"),
                "no index on the messages' time: purging reads the ids");
        assertEquals(0, SchemaMigrations.configure(db).load().info().pending().length, "nothing pending");
    }

    /** The columns of each of {@code table}'s indexes, upper case, as either database's JDBC driver lists them. */
    private static List<String> indexedColumns(DataSource db, String table) throws SQLException {
        try (Connection connection = db.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            String name = metaData.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
            Map<String, TreeMap<Short, String>> columns = new TreeMap<>();
            try (ResultSet result = metaData.getIndexInfo(null, null, name, false, false)) {
                while (result.next()) {
                    columns.computeIfAbsent(result.getString("INDEX_NAME"), index -> new TreeMap<>())
                            .put(result.getShort("ORDINAL_POSITION"),
                                    result.getString("COLUMN_NAME").toUpperCase(Locale.ROOT));
                }
            }
            return columns.values().stream().map(index -> String.join(",", index.values())).sorted().toList();
        }
    }

    private static DataSource h2(Path dir) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("parley"));
        h2.setUser("parley");
        h2.setPassword("parley");
        return h2;
    }

    /** A database of its own in the one PostgreSQL, so that the tests do not see each other's tables. */
    private static DataSource postgres(String name) throws SQLException {
        execute(postgres.getPostgresDatabase(), "CREATE DATABASE " + name);
        return postgres.getDatabase("postgres", name);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SchemaMigrationsTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void execute(DataSource db, String sql) throws SQLException {
        try (Connection connection = db.getConnection(); Statement statement = connection.createStatement()) {
            for (String one : sql.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!one.isBlank()) {
                    statement.execute(one);
                }
            }
        }
    }

    private static List<String> rows(DataSource db, String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = db.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(query)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(String.valueOf(result.getObject(i)));
                }
                rows.add(String.join("|", values));
            }
        }
        return rows;
    }
}
