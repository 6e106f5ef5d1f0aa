package dev.parley.protocol;

import java.util.Locale;

/** The contract's error codes, as sent in {@code error.code}. */
public enum ErrorCode {
    BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, NOT_MEMBER, MUTED, BANNED, TOO_LARGE, RATE_LIMITED,
    CONFLICT, INTERNAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
