package dev.parley.security;

import java.util.List;
import java.util.regex.Pattern;

/** The contract's rule for names users pick: letters, digits, {@code _ - .}. */
public final class UserNames {

    private static final Pattern NICKNAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    /** Any user's name: a registered one (3–32) or {@code guest-} and a nickname (1–32). */
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.-]{1,38}");
    /** The sender of server notices: reserved. */
    public static final String SYSTEM = "system";
    /** Who the audit trail and a deletion's event name for an operation from a JMX console: reserved. */
    public static final String CONSOLE = "jmx";
    /** Who the audit trail names for the retention's purges: reserved. */
    public static final String RETENTION = "retention";
    /** The names the server acts as, which nobody may register: see {@link #isReserved}. */
    public static final List<String> RESERVED = List.of(SYSTEM, CONSOLE, RETENTION);
    /** The same, for messages. */
    public static final String RESERVED_IN_WORDS = SYSTEM + ", " + CONSOLE + " or " + RETENTION;
    private static final String GUEST_PREFIX = "guest-";

    private UserNames() {
    }

    public static boolean isValidNickname(String nickname) {
        return nickname != null && NICKNAME.matcher(nickname).matches();
    }

    public static boolean isValidUser(String user) {
        return user != null && USER.matcher(user).matches();
    }

    /**
     * Whether the name is one the server acts as, in any case: a user of that name would be taken for the server
     * (the sender of notices, a console that bans, the purge the trail leaves out when it removed nothing).
     */
    public static boolean isReserved(String user) {
        return RESERVED.stream().anyMatch(user::equalsIgnoreCase);
    }

    public static boolean isGuest(String user) {
        return user.startsWith(GUEST_PREFIX);
    }

    /** The contract names guest users {@code guest-<nickname>}. */
    public static String guest(String nickname) {
        return GUEST_PREFIX + nickname;
    }
}
