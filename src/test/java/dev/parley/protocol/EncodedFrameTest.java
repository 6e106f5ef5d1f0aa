package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The frame bytes every reader of a broadcast gets: RFC 6455's three length forms, at and past their edges. */
class EncodedFrameTest {

    @Test
    void aShortTextHasTheLengthInTheSecondByte() {
        assertFrame(125, 2);
    }

    @Test
    void from126BytesTheLengthTakesTwoMoreBytes() {
        assertFrame(126, 4);
        assertFrame(65_535, 4);
    }

    @Test
    void past65535BytesTheLengthTakesEightMoreBytes() {
        assertFrame(65_536, 10);
    }

    @Test
    void thePayloadIsUtf8AndTheFrameIsBuiltOnce() {
        EncodedFrame frame = new EncodedFrame("{\"text\":\"grüße 👋\"}");
        byte[] payload = "{\"text\":\"grüße 👋\"}".getBytes(StandardCharsets.UTF_8);
        byte[] wire = frame.wire();
        assertEquals(payload.length, wire[1]);
        assertArrayEquals(payload, Arrays.copyOfRange(wire, 2, wire.length));
        assertSame(wire, frame.wire(), "made once, then shared");
    }

    private static void assertFrame(int length, int header) {
        byte[] wire = new EncodedFrame("x".repeat(length)).wire();
        assertEquals(header + length, wire.length);
        assertEquals((byte) 0x81, wire[0], "final text frame, no extension bits");
        assertEquals(0, wire[1] & 0x80, "a server's frames are not masked");
        long declared = switch (header) {
            case 2 -> wire[1];
            case 4 -> (wire[1] == 126 ? 0 : -1) + ((wire[2] & 0xFF) << 8 | (wire[3] & 0xFF));
            default -> {
                long value = wire[1] == 127 ? 0 : -1;
                for (int i = 2; i < 10; i++) {
                    value = value << 8 | (wire[i] & 0xFF);
                }
                yield value;
            }
        };
        assertEquals(length, declared);
        assertEquals('x', wire[header]);
    }
}
