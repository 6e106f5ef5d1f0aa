package dev.parley.bench;

/**
 * Reads the few fields the load generator needs straight from the frame's text, without building a tree:
 * the client must cost far less than the server it measures. Good for the servers' own frames only (a
 * field's first occurrence is the one wanted; no whitespace after the colon).
 */
final class Json {

    private Json() {
    }

    /** The string value of the first field of that name, unescaped only for quotes and backslashes. */
    static String string(String json, String field) {
        return string(json, field, 0);
    }

    static String string(String json, String field, int from) {
        String key = "\"" + field + "\":\"";
        int start = json.indexOf(key, from);
        if (start < 0) {
            return null;
        }
        start += key.length();
        StringBuilder value = null;
        for (int i = start; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                return value == null ? json.substring(start, i) : value.toString();
            }
            if (c == '\\') {
                if (value == null) {
                    value = new StringBuilder(json.substring(start, i));
                }
                c = json.charAt(++i);
            }
            if (value != null) {
                value.append(c);
            }
        }
        return null;
    }

    /** The number value of the first field of that name, or {@code missing}. */
    static long number(String json, String field, long missing) {
        return number(json, field, 0, missing);
    }

    static long number(String json, String field, int from, long missing) {
        String key = "\"" + field + "\":";
        int start = json.indexOf(key, from);
        if (start < 0) {
            return missing;
        }
        int i = start + key.length();
        long value = 0;
        boolean digits = false;
        while (i < json.length() && Character.isDigit(json.charAt(i))) {
            value = value * 10 + (json.charAt(i++) - '0');
            digits = true;
        }
        return digits ? value : missing;
    }

    static boolean flag(String json, String field) {
        return json.contains("\"" + field + "\":true");
    }

    /** A JSON string literal of plain text (the bench's own room names, users and texts). */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }
}
