package dev.parley.protocol;

/** A request refused with one of the contract's error codes; the connection stays open. */
public final class ChatException extends RuntimeException {

    private final ErrorCode code;

    public ChatException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
