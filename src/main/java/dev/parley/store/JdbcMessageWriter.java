package dev.parley.store;

import dev.parley.delivery.GroupCommit;
import dev.parley.delivery.MessageStore.Appended;
import dev.parley.delivery.MessageStore.NewMessage;
import dev.parley.delivery.StoredMessage;
import dev.parley.delivery.Tip;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/**
 * New messages written with plain JDBC, a batch in one {@link LocalTransaction}: the rooms' rows locked, the
 * messages inserted as one JDBC batch, each room's last seq moved on once. Through JPA the same batch also
 * went through EclipseLink's unit of work (every message registered, copied and compared at commit) and a JTA
 * transaction (performance.md, item 19). JPA reads these rows as any others: nothing is cached between
 * transactions (shared-cache-mode NONE), and edits and deletions lock the same room rows.
 */
final class JdbcMessageWriter {

    private static final Logger LOG = Logger.getLogger(JdbcMessageWriter.class.getName());

    /**
     * The names a locking query takes: fixed counts, so that each statement is parsed once per pooled connection
     * (by the pool's statement cache, {@link Database}: H2 keeps no query {@code FOR UPDATE}). A batch of a few
     * rooms (a chat's usual load) binds 16 names, not 64; one of many rooms (50 senders in 50 rooms) costs one
     * round trip to the database, not four; one of more rooms still (no more than a batch's messages) has a
     * statement of its own.
     */
    private static final int FEW = 16;
    private static final int MANY = 64;
    private static final String LOCKING =
            "SELECT id, name, last_seq, archived_at FROM room WHERE name IN (%s) ORDER BY name FOR UPDATE";
    private static final String LOCKING_FEW = LOCKING.formatted(places(FEW));
    private static final String LOCKING_MANY = LOCKING.formatted(places(MANY));
    private static final String INSERT = "INSERT INTO message (id, room_id, seq, sender, text, kind, reply_to,"
            + " client_msg_id, created_at, tip_to, amount) VALUES (" + places(11) + ")";
    private static final String LAST_SEQ = "UPDATE room SET last_seq = ? WHERE id = ?";
    static final String BY_CLIENT_ID = "SELECT r.name, m.seq, m.id, m.sender, m.text, m.created_at, m.kind,"
            + " m.reply_to, m.client_msg_id, m.target_seq, m.deleted_at, m.edited_at, m.tip_to, m.amount"
            + " FROM message m JOIN room r ON r.id = m.room_id WHERE m.sender = ? AND m.client_msg_id = ?";

    private final DataSource dataSource;

    JdbcMessageWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Stores the batch, or refuses a message of it with the reason. The first attempt looks up only the
     * messages that {@link NewMessage#maybeResent may be resent}: a client message id is nearly always new,
     * and the unique key (sender, client_msg_id) refuses a repeat, at the price of the batch's transaction.
     * The second attempt, after any failure (that repeat, or two nodes deadlocked on rooms), looks each one up.
     * Should the database refuse a value of the batch (at either attempt), each message is written alone, so that
     * one message it cannot take fails only its sender, and the others, who would send again into a batch with it,
     * are stored.
     */
    List<GroupCommit.Outcome> write(List<NewMessage> messages) throws SQLException {
        try {
            return LocalTransaction.run(dataSource, connection -> attempt(connection, messages, false));
        } catch (SQLException first) {
            if (refusedAValue(first)) {
                return eachAlone(messages, first);
            }
            LOG.log(Level.FINE, "a batch of messages failed once; writing it again, each looked up", first);
            try {
                return LocalTransaction.run(dataSource, connection -> attempt(connection, messages, true));
            } catch (SQLException second) {
                if (second != first) { // a broken connection may fail again with the same exception
                    second.addSuppressed(first);
                }
                if (refusedAValue(second)) {
                    return eachAlone(messages, second);
                }
                throw second;
            }
        }
    }

    /** A batch of which the database refused a value: each message alone, so that only the refused one fails. */
    private List<GroupCommit.Outcome> eachAlone(List<NewMessage> messages, SQLException refusal) {
        if (messages.size() == 1) {
            return List.of(refused(messages.get(0), refusal));
        }
        LOG.log(Level.WARNING, "the database refused a value of a batch; writing its messages alone", refusal);
        return messages.stream().map(this::alone).toList();
    }

    /** One message in a transaction of its own, looked up; its failure is its own, whatever it is. */
    private GroupCommit.Outcome alone(NewMessage message) {
        try {
            return LocalTransaction.run(dataSource, connection -> attempt(connection, List.of(message), true)).get(0);
        } catch (SQLException e) {
            return refusedAValue(e) ? refused(message, e)
                    : new GroupCommit.Outcome(null, new PersistenceException("message not stored", e));
        } catch (RuntimeException e) {
            return new GroupCommit.Outcome(null, e);
        }
    }

    /** Final for its sender: sent again, the same message would fail again (the page shows it as not sent). */
    private static GroupCommit.Outcome refused(NewMessage message, SQLException reason) {
        LOG.log(Level.WARNING, "the database refused a message of " + message.from(), reason);
        return new GroupCommit.Outcome(null,
                new ChatException(ErrorCode.BAD_REQUEST, "the database cannot store this message"));
    }

    /**
     * A data exception (SQLSTATE class 22: a value too long, a character the encoding lacks) is about what was
     * written, not the database's state; writing the same message again fails again.
     */
    private static boolean refusedAValue(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("22");
    }

    private static List<GroupCommit.Outcome> attempt(Connection connection, List<NewMessage> messages,
                                                     boolean lookUp) throws SQLException {
        Map<String, LockedRoom> rooms = locked(connection, messages.stream().map(NewMessage::room).toList());
        Map<List<String>, StoredMessage> inBatch = new HashMap<>();
        List<GroupCommit.Outcome> outcomes = new ArrayList<>(messages.size());
        try (PreparedStatement insert = connection.prepareStatement(INSERT);
             Lookup byClientId = new Lookup(connection)) {
            for (NewMessage message : messages) {
                List<String> key = Arrays.asList(message.from(), message.clientMsgId());
                StoredMessage earlier = inBatch.get(key);
                if (earlier == null && (lookUp || message.maybeResent()) && message.clientMsgId() != null) {
                    earlier = byClientId.find(message);
                }
                try {
                    Appended appended = earlier != null ? repeated(earlier, message)
                            : new Appended(added(insert, rooms.get(message.room()), message), false);
                    if (message.clientMsgId() != null) {
                        inBatch.put(key, appended.message());
                    }
                    outcomes.add(new GroupCommit.Outcome(appended, null));
                } catch (ChatException refused) {
                    outcomes.add(new GroupCommit.Outcome(null, refused));
                }
            }
            insert.executeBatch();
        }
        moveLastSeqs(connection, rooms.values());
        return outcomes;
    }

    private static Appended repeated(StoredMessage earlier, NewMessage message) {
        if (!earlier.room().equals(message.room())) {
            throw new ChatException(ErrorCode.CONFLICT, "clientMsgId was used for another room");
        }
        return new Appended(earlier, true);
    }

    /** Adds the message to the insert batch with the room's next seq. */
    private static StoredMessage added(PreparedStatement insert, LockedRoom room, NewMessage message)
            throws SQLException {
        if (room == null) {
            throw new ChatException(ErrorCode.NOT_FOUND, "no room " + message.room());
        }
        if (room.archived) {
            throw new ChatException(ErrorCode.FORBIDDEN, message.room() + " is archived");
        }
        if (message.replyTo() != null && message.replyTo() > room.lastSeq) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "replyTo is not a seq of " + message.room());
        }
        LocalDateTime now = MessageEntity.timeNow();
        String id = MessageEntity.idAt(now);
        long seq = ++room.lastSeq;
        Tip tip = message.tip();
        insert.setString(1, id);
        insert.setString(2, room.id);
        insert.setLong(3, seq);
        insert.setString(4, message.from());
        insert.setString(5, message.text());
        insert.setString(6, message.kind());
        insert.setObject(7, message.replyTo(), Types.BIGINT);
        insert.setString(8, message.clientMsgId());
        insert.setObject(9, now);
        insert.setString(10, tip == null ? null : tip.to());
        insert.setObject(11, tip == null ? null : tip.amount(), Types.INTEGER);
        insert.addBatch();
        return new StoredMessage(message.room(), seq, id, message.from(), message.text(),
                now.toInstant(ZoneOffset.UTC), message.kind(), message.replyTo(), message.clientMsgId(), null, false,
                false, tip);
    }

    /**
     * The rooms of those names that exist, by name, their rows locked until the transaction ends: a room's seq
     * is handed out under this lock, on every node. They are locked in one query, in name order, so that two
     * nodes locking some of the same rooms do not deadlock: in queries of 64 names each, the rooms were locked
     * in the database's collation within a query and in Java's across them, which differ on PostgreSQL
     * ({@code _} and case), and two batches of over 64 rooms could each hold a row the other waited for.
     */
    private static Map<String, LockedRoom> locked(Connection connection, List<String> names) throws SQLException {
        List<String> distinct = names.stream().distinct().toList();
        int size = distinct.size() <= FEW ? FEW : distinct.size() <= MANY ? MANY : distinct.size();
        String query = size == FEW ? LOCKING_FEW : size == MANY ? LOCKING_MANY : LOCKING.formatted(places(size));
        Map<String, LockedRoom> rooms = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(query)) {
            for (int i = 0; i < size; i++) {
                // The unused places repeat a name of this query: they find nothing more.
                select.setString(i + 1, distinct.get(Math.min(i, distinct.size() - 1)));
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    LockedRoom room = new LockedRoom(row.getString(1), row.getLong(3), row.getObject(4) != null);
                    rooms.put(row.getString(2), room);
                }
            }
        }
        return rooms;
    }

    private static void moveLastSeqs(Connection connection, Iterable<LockedRoom> rooms) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(LAST_SEQ)) {
            boolean any = false;
            for (LockedRoom room : rooms) {
                if (room.lastSeq != room.lockedAt) {
                    update.setLong(1, room.lastSeq);
                    update.setString(2, room.id);
                    update.addBatch();
                    any = true;
                }
            }
            if (any) {
                update.executeBatch();
            }
        }
    }

    private static String places(int count) {
        return IntStream.range(0, count).mapToObj(i -> "?").collect(Collectors.joining(", "));
    }

    /**
     * A message looked up by its sender and client message id. The statement is prepared at the first lookup:
     * most batches, past a connection's first sends, have none.
     */
    private static final class Lookup implements AutoCloseable {

        private final Connection connection;
        private PreparedStatement select;

        Lookup(Connection connection) {
            this.connection = connection;
        }

        StoredMessage find(NewMessage message) throws SQLException {
            if (select == null) {
                select = connection.prepareStatement(BY_CLIENT_ID);
            }
            select.setString(1, message.from());
            select.setString(2, message.clientMsgId());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                String tipTo = row.getString(13);
                return new StoredMessage(row.getString(1), row.getLong(2), row.getString(3), row.getString(4),
                        row.getString(5), row.getObject(6, LocalDateTime.class).toInstant(ZoneOffset.UTC),
                        row.getString(7), row.getObject(8, Long.class), row.getString(9),
                        row.getObject(10, Long.class), row.getObject(11) != null, row.getObject(12) != null,
                        tipTo == null ? null : new Tip(tipTo, row.getInt(14)));
            }
        }

        @Override
        public void close() throws SQLException {
            if (select != null) {
                select.close();
            }
        }
    }

    /** A room's row as locked, and the seqs handed out since. */
    private static final class LockedRoom {

        final String id;
        final long lockedAt;
        final boolean archived;
        long lastSeq;

        LockedRoom(String id, long lastSeq, boolean archived) {
            this.id = id;
            this.lockedAt = lastSeq;
            this.lastSeq = lastSeq;
            this.archived = archived;
        }
    }
}
