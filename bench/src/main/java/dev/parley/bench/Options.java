package dev.parley.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} pairs; every value asked for, given or defaulted, goes into the report. */
final class Options {

    private final Map<String, String> given = new LinkedHashMap<>();
    private final Map<String, Object> used = new LinkedHashMap<>();

    Options(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            given.put(args[i].substring(2), args[++i]);
        }
    }

    String text(String name, String otherwise) {
        String value = given.getOrDefault(name, otherwise);
        used.put(name, value);
        return value;
    }

    long number(String name, long otherwise) {
        long value = given.containsKey(name) ? Long.parseLong(given.get(name)) : otherwise;
        used.put(name, value);
        return value;
    }

    int count(String name, int otherwise) {
        return Math.toIntExact(number(name, otherwise));
    }

    Map<String, Object> used() {
        return used;
    }
}
