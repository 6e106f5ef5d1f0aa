package dev.parley.protocol;

import jakarta.json.JsonValue;

/**
 * The HTTP API's request bodies, read as strictly as frames: one JSON object and nothing after it, no field the
 * record lacks, each field of its kind (JSON-B alone would bind {@code {"text": 42}} as the text "42" and
 * {@code {"minutes": "10"}} as 10), no NUL nor half of a character in any text; then bound with the application's
 * one Jsonb.
 */
public final class ApiBodies {

    private ApiBodies() {
    }

    /**
     * @return the body bound to the record, or null for an empty body or JSON {@code null}: the operation then
     *         does what it does without one
     * @throws IllegalArgumentException saying what is wrong with the body, for a 400
     */
    public static <T extends Record> T read(Class<T> type, String text) {
        if (text.isBlank()) {
            return null;
        }
        JsonValue value;
        try {
            value = Frames.readWhole(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the body is not valid JSON");
        }
        if (value == JsonValue.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        FrameShapes.checkBody(type, value.asJsonObject());
        return Frames.jsonb().fromJson(text, type);
    }
}
