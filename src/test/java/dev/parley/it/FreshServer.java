package dev.parley.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Before Arquillian starts a run's Payara Micro (once per failsafe run: arquillian.xml's suite extension deploys the
 * WAR for every test class of the run at once): waits until the previous run's server let go of the ports, and in
 * an H2 run gives the server an empty data folder.
 * <ul>
 * <li>Arquillian does not wait for the previous server to have let go of its ports; with
 * {@code autoBindHttp} off, a Payara Micro that finds its port taken exits, and the test class fails after
 * the whole startup timeout. The H2 run and LimitsIT's run take the same ports, one after the other.</li>
 * <li>A data folder a run before left (the build was not cleaned) would hold its accounts and rooms.</li>
 * </ul>
 * Declare it before the Arquillian extension on every class that a Payara Micro run deploys to; it acts at the
 * first. Nothing to do where WildFly serves the run.
 */
public final class FreshServer implements BeforeAllCallback {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final AtomicBoolean PREPARED = new AtomicBoolean();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (Boolean.getBoolean("it.server.shared") || !PREPARED.compareAndSet(false, true)) {
            return; // WildFly, which Arquillian starts itself; or the run's server is up already
        }
        for (String property : new String[] {"it.http.port", "it.https.port", "it.jmx.port"}) {
            String port = System.getProperty(property);
            if (port != null) {
                awaitFree(Integer.parseInt(port));
            }
        }
        String h2 = System.getProperty("it.clean.dir");
        if (h2 != null) {
            TestEnvironment.deleteTree(Path.of(h2));
        }
    }

    private static void awaitFree(int port) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + WAIT.toNanos();
        while (true) {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
                if (waited > 0) {
                    System.out.println("FreshServer: port " + port + " was free after " + waited + " ms");
                }
                return;
            } catch (IOException taken) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("port " + port + " still taken after " + WAIT, taken);
                }
                Thread.sleep(100);
            }
        }
    }
}
