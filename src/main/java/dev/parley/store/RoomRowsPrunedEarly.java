package dev.parley.store;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration 8, on PostgreSQL only: the room table's pages are kept nine-tenths empty ({@code fillfactor} 10).
 * Every commit of messages updates each of its rooms' rows (the seq), so a busy room leaves a new version of its
 * row many times a second. PostgreSQL clears the dead versions from a page only when the page is nearly full by
 * its fillfactor; at the default, a room's row had dozens of them in a chain that every lock and lookup of the
 * room walked. With the page nine-tenths free, they are cleared as they come. The table is a row per room, so
 * the space does not matter. H2 has no such setting and nothing to do.
 */
public final class RoomRowsPrunedEarly implements JavaMigration {

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("8");
    }

    @Override
    public String getDescription() {
        return "room rows pruned early";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        if (connection.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE room SET (fillfactor = 10)");
            }
        }
    }
}
