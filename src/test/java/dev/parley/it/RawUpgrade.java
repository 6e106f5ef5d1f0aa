package dev.parley.it;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket upgrade written by hand on a plain socket, for what a WebSocket client library hides: the
 * address it comes from, the exact headers offered and answered, a client that stops reading.
 */
final class RawUpgrade {

    private RawUpgrade() {
    }

    /** Connects to the test server (bind the socket first to come from another loopback address). */
    static void connect(Socket socket) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getProperty("it.http.port"))),
                5000);
    }

    /**
     * Sends the upgrade request for Parley's endpoint, with {@code headers} ("Name: value") besides the ones
     * every upgrade has, and returns the response's status line and headers, blank line included.
     */
    static String upgrade(Socket socket, String... headers) throws IOException {
        StringBuilder request = new StringBuilder("GET " + Server.ws().getPath() + " HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(System.getProperty("it.http.port")).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        return responseHead(socket.getInputStream());
    }

    /** The status code of a response head. */
    static int status(String head) {
        return Integer.parseInt(head.split(" ", 3)[1]);
    }

    /** The body that follows a response head of {@link #upgrade} which has a Content-Length (a refusal's). */
    static String body(Socket socket, String head) throws IOException {
        int length = head.lines().filter(line -> line.regionMatches(true, 0, "Content-Length:", 0, 15))
                .map(line -> Integer.parseInt(line.substring(15).trim())).findFirst()
                .orElseThrow(() -> new AssertionError("no Content-Length in " + head));
        return new String(socket.getInputStream().readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Byte by byte: what follows the head is the first WebSocket frame, which must stay in the stream. */
    private static String responseHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(head.toString());
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
