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

    /**
     * A name a new room may take: any valid one but {@code .} and {@code ..}, which a web address cannot name
     * (browsers and curl take them, even written {@code %2E}, as path steps): the admin API's
     * {@code rooms/../notices} would reach every room, not "..".
     */
    public static boolean isAddressable(String name) {
        return isValid(name) && !name.equals(".") && !name.equals("..");
    }

    public static String require(String name) {
        if (!isValid(name)) {
            throw malformed();
        }
        return name;
    }

    public static ChatException malformed() {
        return new ChatException(ErrorCode.BAD_REQUEST, "a room name is 1-64 of letters, digits, _ - .");
    }
}
