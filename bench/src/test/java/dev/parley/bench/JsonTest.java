package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JsonTest {

    private static final String MESSAGE = "{\"type\":\"message\",\"clientMsgId\":\"a-1\",\"from\":\"guest-a\","
            + "\"id\":\"01J\",\"kind\":\"text\",\"replyTo\":3,\"room\":\"lobby\",\"seq\":42,"
            + "\"text\":\"say \\\"seq\\\":7 \\\\ ok\",\"ts\":\"2026-12-01T19:00:00Z\"}";

    @Test
    void readsTheFieldsOfAServerFrame() {
        assertEquals("message", Json.string(MESSAGE, "type"));
        assertEquals("lobby", Json.string(MESSAGE, "room"));
        assertEquals(42, Json.number(MESSAGE, "seq", -1));
        assertEquals(3, Json.number(MESSAGE, "replyTo", -1));
    }

    @Test
    void unescapesQuotesAndBackslashesInAString() {
        assertEquals("say \"seq\":7 \\ ok", Json.string(MESSAGE, "text"));
    }

    @Test
    void aMissingFieldIsNullOrTheDefault() {
        assertNull(Json.string(MESSAGE, "ref"));
        assertEquals(-1, Json.number(MESSAGE, "amount", -1));
        assertEquals(-1, Json.number(MESSAGE, "room", -1), "a string is no number");
    }

    @Test
    void flagsAndQuoting() {
        assertTrue(Json.flag("{\"more\":true}", "more"));
        assertFalse(Json.flag("{\"more\":false}", "more"));
        assertEquals("\"a\\\"b\\\\c\"", Json.quote("a\"b\\c"));
        assertEquals("a\"b\\c", Json.string("{\"x\":" + Json.quote("a\"b\\c") + "}", "x"));
    }
}
