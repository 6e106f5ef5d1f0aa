package dev.parley.protocol;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbSubtype;
import jakarta.json.bind.annotation.JsonbTypeInfo;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JSON kind of each field of each client frame and of each body of the HTTP API, read from the records,
 * checked before they are bound: JSON-B converts what it can (the number 42 to the text "42", the text "5" to the
 * number 5), where the contract answers a mistyped field with {@code bad_request}. No text may hold NUL, which
 * PostgreSQL cannot store (one such message failed the commit of every message stored with it), nor half of a
 * character.
 */
final class FrameShapes {

    private static final Map<String, Map<String, Type>> BY_TYPE = Arrays.stream(
                    ClientFrame.class.getAnnotation(JsonbTypeInfo.class).value())
            .collect(Collectors.toUnmodifiableMap(JsonbSubtype::alias, subtype -> fields(subtype.type())));

    /** Each record's fields, for the API's bodies. */
    private static final ClassValue<Map<String, Type>> BY_RECORD = new ClassValue<>() {
        @Override
        protected Map<String, Type> computeValue(Class<?> record) {
            return fields(record);
        }
    };

    private FrameShapes() {
    }

    /** @throws IllegalArgumentException naming the first field of the wrong kind */
    static void check(String type, JsonObject frame) {
        check(BY_TYPE.get(type), frame, "");
    }

    /**
     * Checks a request body of the HTTP API against its record. Unlike a frame (whose extra fields a newer client
     * may send), a body with a field the record lacks is refused: a misspelt optional field would otherwise be
     * taken as absent, and {@code {"minute": 5}} would mute until lifted.
     *
     * @throws IllegalArgumentException naming the first unknown field or field of the wrong kind
     */
    static void checkBody(Class<? extends Record> record, JsonObject body) {
        Map<String, Type> fields = BY_RECORD.get(record);
        body.keySet().stream().filter(name -> !fields.containsKey(name)).findFirst().ifPresent(name -> {
            throw new IllegalArgumentException("unknown field " + Frames.abbreviate(name) + (fields.isEmpty()
                    ? ": the operation takes none" : "; the fields are " + String.join(", ", fields.keySet())));
        });
        check(fields, body, "");
    }

    private static void check(Map<String, Type> fields, JsonObject object, String prefix) {
        fields.forEach((name, type) -> {
            JsonValue value = object.get(name);
            if (value != null && value != JsonValue.NULL) {
                check(prefix + name, type, value);
            }
        });
    }

    private static void check(String field, Type type, JsonValue value) {
        if (type == String.class) {
            if (!(value instanceof JsonString text)) {
                throw wrongKind(field, "text");
            }
            requireStorable(field, text.getString());
        } else if (type == Long.class || type == Integer.class) {
            if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
                throw wrongKind(field, "a whole number");
            }
            // The exact conversions of Parsson's small numbers allocate nothing: every ack's seq passes here.
            try {
                if (type == Long.class) {
                    number.longValueExact();
                } else {
                    number.intValueExact();
                }
            } catch (ArithmeticException tooLarge) {
                throw new IllegalArgumentException(field + " must be a whole number of at most "
                        + (type == Long.class ? Long.MAX_VALUE : Integer.MAX_VALUE));
            }
        } else if (type == BigDecimal.class) {
            if (!(value instanceof JsonNumber)) {
                throw wrongKind(field, "a number");
            }
        } else if (type instanceof ParameterizedType map && map.getRawType() == Map.class) {
            if (!(value instanceof JsonObject entries)) {
                throw wrongKind(field, "an object");
            }
            Map<String, Type> inner = fields((Class<?>) map.getActualTypeArguments()[1]);
            entries.forEach((key, entry) -> {
                if (!(entry instanceof JsonObject object)) {
                    throw wrongKind(field + "." + key, "an object");
                }
                check(inner, object, field + "." + key + ".");
            });
        } else {
            throw new IllegalStateException("no JSON kind known for " + type + " of " + field);
        }
    }

    /**
     * No text may hold NUL, which PostgreSQL cannot store, nor half of a character.
     *
     * @throws IllegalArgumentException naming the field
     */
    static void requireStorable(String field, String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(field + " must not contain the character NUL");
        }
        if (hasLoneSurrogate(text)) {
            throw new IllegalArgumentException(field + " must be Unicode text: it has half of a character (a"
                    + " lone surrogate)");
        }
    }

    /**
     * JSON may escape half of a UTF-16 pair ({@code "\ud800"}); no text holds one. Stored, PostgreSQL's driver
     * writes it as "?", and the message read back would differ from the one delivered live.
     */
    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Type> fields(Class<?> record) {
        Map<String, Type> fields = new LinkedHashMap<>();
        for (RecordComponent component : record.getRecordComponents()) {
            fields.put(component.getName(), component.getGenericType());
        }
        return fields;
    }

    private static IllegalArgumentException wrongKind(String field, String kind) {
        return new IllegalArgumentException(field + " must be " + kind);
    }
}
