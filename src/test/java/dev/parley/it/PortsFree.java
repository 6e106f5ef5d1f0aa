package dev.parley.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Waits until the test server's ports are free before Arquillian starts the next Payara Micro. Arquillian
 * starts one per test class on the same ports, and does not wait for the previous one to have let go of
 * them; with {@code autoBindHttp} off, a Payara Micro that finds its port taken exits, and the test class
 * fails after the whole startup timeout. Declare it before the Arquillian extension.
 */
public final class PortsFree implements BeforeAllCallback {

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
    }

    private static void awaitFree(int port) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + WAIT.toNanos();
        while (true) {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
                if (waited > 0) {
                    System.out.println("PortsFree: port " + port + " was free after " + waited + " ms");
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
