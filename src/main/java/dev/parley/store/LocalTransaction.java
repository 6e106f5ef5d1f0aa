package dev.parley.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Plain JDBC work in a local transaction of its own, on a connection of the data source, for the writes that
 * are many and small (read markers, new messages): JPA's unit of work and a JTA transaction around them cost
 * more than the statements. The caller runs outside any JTA transaction, where the pool's connection is not
 * enlisted: it would commit every statement on its own (auto-commit), on H2 a file write each, so auto-commit
 * is off for the work and back on after.
 */
final class LocalTransaction {

    /** What runs on the connection; the transaction commits when it returns. */
    interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    private static final Logger LOG = Logger.getLogger(LocalTransaction.class.getName());

    private LocalTransaction() {
    }

    /**
     * Runs {@code work} and commits. Fails with the work's failure, and rolls back, when the work or the commit
     * fails; not when the connection fails after the commit (giving auto-commit back, or closing): what was
     * committed, reported as not written, would only be written again.
     */
    static <T> T run(DataSource dataSource, Work<T> work) throws SQLException {
        T result = null;
        boolean committed = false;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                result = work.on(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                undo(connection, e);
                throw e;
            }
            committed = true;
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            if (!committed) {
                throw e;
            }
            // The pool's validation drops the connection.
            LOG.log(Level.FINE, "a connection failed after its transaction committed", e);
        }
        return result;
    }

    /**
     * Rolls back and gives the connection back in auto-commit. When that fails too (the connection broke), the
     * work's own failure is still the one reported, with this one attached.
     */
    private static void undo(Connection connection, Exception failure) {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
