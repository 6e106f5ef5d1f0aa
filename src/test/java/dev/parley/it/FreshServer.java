package dev.parley.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Before Arquillian starts the next Payara Micro (one per test class, on the same ports): waits until the
 * previous one let go of the ports, and in the H2 run gives the next one an empty data folder.
 * <ul>
 * <li>Arquillian does not wait for the previous server to have let go of its ports; with
 * {@code autoBindHttp} off, a Payara Micro that finds its port taken exits, and the test class fails after
 * the whole startup timeout.</li>
 * <li>An H2 file that a stopped test server left corrupted ("File corrupted while reading record", seen
 * after JmxIT in full runs; what is known of it: "Backups" in docs/deployment.md) made every later class's
 * deployment fail: a fresh database per class keeps that to the class whose server corrupted it.</li>
 * </ul>
 * Declare it before the Arquillian extension. Nothing to do where one server serves every class (WildFly).
 */
public final class FreshServer implements BeforeAllCallback {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (Boolean.getBoolean("it.server.shared")) {
            return; // one server (WildFly) serves every class and holds its ports throughout
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
