package dev.parley.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on loopback between clients and the test servers, which a test can cut: every open
 * connection is reset at once, and new ones are refused until it is restored. That is what a client sees
 * when its network goes away, which browsers' offline emulation does not do to open WebSockets. Or stall:
 * the open connections carry nothing more and are never closed, as when a network drops every packet. With several
 * servers it is a load balancer: connections go to them in turn, and to the next when one refuses.
 */
final class CuttableProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final List<InetSocketAddress> targets;
    private final AtomicInteger turn = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Socket> stalled = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    CuttableProxy(int... targetPorts) throws IOException {
        this.targets = Arrays.stream(targetPorts)
                .mapToObj(port -> new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).toList();
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Resets every connection through the proxy and refuses new ones. */
    void cut() {
        cut = true;
        open.forEach(CuttableProxy::reset);
    }

    /** The open connections carry nothing from now on, and their clients are never told; new ones go through. */
    void stall() {
        stalled.addAll(open);
    }

    void restore() {
        cut = false;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        open.forEach(CuttableProxy::reset);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    reset(client);
                    continue;
                }
                Socket server = connect();
                if (server == null) {
                    reset(client); // no server takes it: the client sees its connection fail
                    continue;
                }
                open.add(client);
                open.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                // The listener was closed.
            }
        }
    }

    /** The next server in turn that accepts a connection; null when none does. */
    private Socket connect() {
        int first = Math.floorMod(turn.getAndIncrement(), targets.size());
        for (int i = 0; i < targets.size(); i++) {
            Socket server = new Socket();
            try {
                server.connect(targets.get((first + i) % targets.size()), 2000);
                return server;
            } catch (IOException refused) {
                reset(server);
            }
        }
        return null;
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                // Not closed by a try-with-resources: closing a socket's stream closes the socket.
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!stalled.contains(from)) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // One side went away: the other goes too, unless stalled (it hears nothing of it).
            } finally {
                reset(from);
                if (!stalled.contains(from)) {
                    reset(to);
                }
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // Closed already.
        }
    }
}
