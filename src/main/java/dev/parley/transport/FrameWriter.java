package dev.parley.transport;

import dev.parley.protocol.EncodedFrame;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;

/**
 * Writes one frame to one session and says when it is done. The outbound queue calls it once at a time per
 * session. Where the container allows it (Tyrus, in Payara and standalone), the frame's bytes, made once per
 * message, are written as they are; elsewhere (WildFly's Undertow, a session with negotiated extensions that
 * change every frame) through the standard API, which frames per send.
 */
interface FrameWriter {

    void write(EncodedFrame frame, SendHandler done);

    static FrameWriter of(Session session) {
        if (session.getNegotiatedExtensions() == null || session.getNegotiatedExtensions().isEmpty()) {
            FrameWriter raw = TyrusFrameWriter.of(session);
            if (raw != null) {
                return raw;
            }
        }
        return (frame, done) -> session.getAsyncRemote().sendText(frame.json(), done);
    }
}
