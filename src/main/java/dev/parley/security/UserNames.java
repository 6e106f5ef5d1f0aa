package dev.parley.security;

import java.util.regex.Pattern;

/** The contract's rule for names users pick: letters, digits, {@code _ - .}. */
public final class UserNames {

    private static final Pattern NICKNAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final String GUEST_PREFIX = "guest-";

    private UserNames() {
    }

    public static boolean isValidNickname(String nickname) {
        return nickname != null && NICKNAME.matcher(nickname).matches();
    }

    /** The contract names guest users {@code guest-<nickname>}. */
    public static String guest(String nickname) {
        return GUEST_PREFIX + nickname;
    }
}
