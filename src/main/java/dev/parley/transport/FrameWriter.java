package dev.parley.transport;

import dev.parley.protocol.EncodedFrame;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.util.List;

/**
 * Writes frames to one session and says when they are written. The outbound queue calls it once at a time per
 * session. Where the container allows it (Tyrus, in Payara and standalone), the frames' bytes, made once per
 * message, are written as they are, several queued frames in one write (on Payara without TLS straight to
 * Grizzly's connection, below the servlet layer); elsewhere (WildFly's Undertow, a
 * session with negotiated extensions that change every frame) one at a time through the standard API, which
 * frames per send.
 */
interface FrameWriter {

    /** The most frames one {@link #write} takes. */
    int maxFrames();

    /** Writes the frames, in order, and calls {@code done} once for all of them. */
    void write(List<EncodedFrame> frames, SendHandler done);

    /** One frame's bytes as they are (shared, never copied); several joined into one array for one write. */
    static byte[] joined(List<EncodedFrame> frames) {
        if (frames.size() == 1) {
            return frames.get(0).wire();
        }
        int length = 0;
        for (EncodedFrame frame : frames) {
            length += frame.wire().length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (EncodedFrame frame : frames) {
            byte[] wire = frame.wire();
            System.arraycopy(wire, 0, all, at, wire.length);
            at += wire.length;
        }
        return all;
    }

    static FrameWriter of(Session session) {
        if (session.getNegotiatedExtensions() == null || session.getNegotiatedExtensions().isEmpty()) {
            FrameWriter raw = TyrusFrameWriter.of(session);
            if (raw != null) {
                return raw;
            }
        }
        return new FrameWriter() {
            @Override
            public int maxFrames() {
                return 1;
            }

            @Override
            public void write(List<EncodedFrame> frames, SendHandler done) {
                session.getAsyncRemote().sendText(frames.get(0).json(), done);
            }
        };
    }
}
