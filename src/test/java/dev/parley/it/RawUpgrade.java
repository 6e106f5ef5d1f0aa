package dev.parley.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket upgrade written by hand on a plain socket, for what a WebSocket client library hides: the
 * address it comes from, the exact headers offered and answered, a client that stops reading. After the
 * upgrade, text frames go and come as RFC 6455 frames them (a client's masked).
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

    /** Sends one text frame, masked as a client's must be. */
    static void sendText(Socket socket, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 0xFFFF) {
            throw new IllegalArgumentException("a test frame has at most 65,535 bytes");
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81); // the whole message, as text
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        socket.getOutputStream().write(frame.toByteArray());
    }

    /** The next text message from the server (its fragments joined); a close frame is an {@link EOFException}. */
    static String readText(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream()); // reads no further than asked
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int head = in.readUnsignedByte();
            int length = in.readUnsignedByte() & 0x7F; // a server's frames are not masked
            long size = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
            byte[] payload = in.readNBytes(Math.toIntExact(size));
            if (payload.length != size) {
                throw new EOFException("a frame cut short");
            }
            int opcode = head & 0x0F;
            if (opcode == 0x8) {
                throw new EOFException("closed by the server: " + new String(payload, StandardCharsets.UTF_8));
            }
            if (opcode < 0x8) { // text or its continuation; control frames between fragments are skipped
                message.write(payload);
                if ((head & 0x80) != 0) {
                    return message.toString(StandardCharsets.UTF_8);
                }
            }
        }
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
