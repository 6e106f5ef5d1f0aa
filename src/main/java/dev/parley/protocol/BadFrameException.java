package dev.parley.protocol;

import jakarta.websocket.DecodeException;

/** A client frame that does not fit the contract; {@link #ref()} is the frame's ref when it could be read. */
public final class BadFrameException extends DecodeException {

    private final String ref;

    public BadFrameException(String text, String ref, String message) {
        super(text, message);
        this.ref = ref;
    }

    public String ref() {
        return ref;
    }
}
