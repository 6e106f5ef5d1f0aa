package dev.parley.protocol;

import jakarta.websocket.Decoder;

/** Decodes client text frames; a bad frame is a {@link BadFrameException} carrying the frame's ref. */
public final class ClientFrameDecoder implements Decoder.Text<ClientFrame> {

    @Override
    public ClientFrame decode(String text) throws BadFrameException {
        return Frames.decode(text);
    }

    @Override
    public boolean willDecode(String text) {
        return text != null;
    }
}
