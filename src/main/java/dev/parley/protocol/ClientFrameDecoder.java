package dev.parley.protocol;

import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;

/** Decodes text frames for the endpoint; a bad frame reaches the endpoint's error handler, not the socket. */
public final class ClientFrameDecoder implements Decoder.Text<ClientFrame> {

    @Override
    public ClientFrame decode(String text) throws DecodeException {
        return Frames.decode(text);
    }

    @Override
    public boolean willDecode(String text) {
        return text != null;
    }
}
