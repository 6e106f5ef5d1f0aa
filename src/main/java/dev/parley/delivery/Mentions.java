package dev.parley.delivery;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The users a text mentions: {@code @name}, where a name is what the contract allows (letters, digits,
 * {@code _ - .}, up to 38 with a guest's prefix), not glued to a word before it (an e-mail address is no
 * mention), without the full stop that ends a sentence.
 */
public final class Mentions {

    private static final Pattern MENTION = Pattern.compile(
            "(?<![A-Za-z0-9_.@-])@([A-Za-z0-9_.-]{1,38})(?![A-Za-z0-9_.-])");

    private Mentions() {
    }

    /** Each user once, in the order of the text. */
    public static List<String> in(String text) {
        // Most texts mention nobody, and the pattern's look-behind is tried at every character of them: a
        // search for the one character every mention has costs a fraction of that (performance.md, item 28).
        if (text.indexOf('@') < 0) {
            return List.of();
        }
        Set<String> users = new LinkedHashSet<>();
        Matcher matcher = MENTION.matcher(text);
        while (matcher.find()) {
            String user = matcher.group(1).replaceAll("\\.+$", "");
            if (!user.isEmpty()) {
                users.add(user);
            }
        }
        return List.copyOf(users);
    }

    public static boolean mentions(String text, String user) {
        return in(text).contains(user);
    }
}
