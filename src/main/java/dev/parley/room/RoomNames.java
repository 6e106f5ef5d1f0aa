package dev.parley.room;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import java.util.regex.Pattern;

/** The contract's rule for room names: 1–64 of letters, digits, {@code _ - .}; case-sensitive. */
public final class RoomNames {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private RoomNames() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    public static String require(String name) {
        if (!isValid(name)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "a room name is 1-64 of letters, digits, _ - .");
        }
        return name;
    }
}
