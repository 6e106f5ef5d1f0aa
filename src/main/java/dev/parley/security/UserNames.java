package dev.parley.security;

import java.util.regex.Pattern;

/** The contract's rule for names users pick: letters, digits, {@code _ - .}. */
public final class UserNames {

    private static final Pattern NICKNAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    /** Any user's name: a registered one (3–32) or {@code guest-} and a nickname (1–32). */
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.-]{1,38}");
    /** The sender of server notices: reserved. */
    public static final String SYSTEM = "system";
    private static final String GUEST_PREFIX = "guest-";

    private UserNames() {
    }

    public static boolean isValidNickname(String nickname) {
        return nickname != null && NICKNAME.matcher(nickname).matches();
    }

    public static boolean isValidUser(String user) {
        return user != null && USER.matcher(user).matches();
    }

    public static boolean isGuest(String user) {
        return user.startsWith(GUEST_PREFIX);
    }

    /** The contract names guest users {@code guest-<nickname>}. */
    public static String guest(String nickname) {
        return GUEST_PREFIX + nickname;
    }
}
