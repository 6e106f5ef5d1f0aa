package dev.parley.protocol;

/** Shape checks for decoded frames; a failure becomes an {@code error} frame with {@code bad_request}. */
final class Require {

    private Require() {
    }

    static void present(String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
    }

    static void text(String field, String value) {
        present(field, value);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
    }

    static void atMost(String field, String value, int chars) {
        if (value.length() > chars) {
            throw new IllegalArgumentException(field + " is longer than " + chars + " characters");
        }
    }

    /** An invitation link's code: the server's are shorter than {@link ClientFrame.Link#MAX_CODE_CHARS}. */
    static void linkCode(String field, String value) {
        text(field, value);
        atMost(field, value, ClientFrame.Link.MAX_CODE_CHARS);
    }

    /**
     * A reaction: an emoji, or a short word for clients that name theirs, on one line without spaces (the page
     * shows it beside the message's other reactions).
     */
    static void reaction(String field, String value) {
        text(field, value);
        atMost(field, value, ClientFrame.React.MAX_CHARS);
        if (value.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.getType(c) == Character.CONTROL)) {
            throw new IllegalArgumentException(field + " must not hold spaces or control characters");
        }
    }

    /** The seq of a message: 1 or more. */
    static void messageSeq(String field, Long value) {
        present(field, value);
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be a seq of the room (1 or more)");
        }
    }

    static void seq(String field, Long value) {
        present(field, value);
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative");
        }
    }

    static void positive(String field, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(field + " must be 1 or more");
        }
    }
}
