package dev.parley.chat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The name of two users' direct conversation: the same whoever asks, a valid room name whatever the two
 * names' lengths (two names of 38 characters would not fit in 64), and not one a person would pick.
 */
final class DirectRooms {

    private static final String PREFIX = "dm-";
    private static final Pattern NAME = Pattern.compile("dm-[0-9a-f]{24}");

    private DirectRooms() {
    }

    /** Whether a room name is one that {@link #name} makes: such rooms are opened with {@code dm} only. */
    static boolean isDirect(String room) {
        return NAME.matcher(room).matches();
    }

    static String name(String one, String other) {
        String pair = one.compareTo(other) < 0 ? one + "\n" + other : other + "\n" + one;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(pair.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
