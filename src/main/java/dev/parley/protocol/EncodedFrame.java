package dev.parley.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A server frame's JSON, shared by every connection it goes to, and its WebSocket frame (RFC 6455: final, text,
 * unmasked as every server frame is), made on first use. A message to a room of thousands is encoded and
 * framed once, not once per reader: per-reader framing is what made the stock send path slow.
 */
public final class EncodedFrame {

    private final String json;
    /** Racy on purpose: two writers may both build it, and build the same bytes. */
    private volatile byte[] wire;

    public EncodedFrame(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }

    /** The complete WebSocket frame, header and UTF-8 payload. Callers must not change it. */
    public byte[] wire() {
        byte[] frame = wire;
        if (frame == null) {
            frame = frame(json.getBytes(StandardCharsets.UTF_8));
            wire = frame;
        }
        return frame;
    }

    static byte[] frame(byte[] payload) {
        int length = payload.length;
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[header + length];
        frame[0] = (byte) 0x81; // FIN, opcode 1 (text), no extension bits
        if (header == 2) {
            frame[1] = (byte) length;
        } else if (header == 4) {
            frame[1] = 126;
            frame[2] = (byte) (length >>> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, length);
        return frame;
    }

    @Override
    public String toString() {
        return json;
    }
}
