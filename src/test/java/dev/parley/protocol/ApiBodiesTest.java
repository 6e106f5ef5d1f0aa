package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The API's bodies are read as strictly as frames: what the operation would take otherwise is said instead. */
class ApiBodiesTest {

    public record Notice(String text) {
    }

    public record Mute(Integer minutes) {
    }

    public record NoFields() {
    }

    @Test
    void aBodyOfItsRecordsFieldsAndKindsIsBound() {
        assertEquals(new Notice("hi"), ApiBodies.read(Notice.class, "{\"text\":\"hi\"}"));
        assertEquals(new Mute(Integer.MAX_VALUE), ApiBodies.read(Mute.class, "{\"minutes\":2147483647}"));
        assertEquals(new Mute(null), ApiBodies.read(Mute.class, "{}"));
        assertEquals(new Mute(null), ApiBodies.read(Mute.class, "{\"minutes\":null}"));
    }

    @Test
    void noBodyIsNone() {
        assertNull(ApiBodies.read(Mute.class, ""));
        assertNull(ApiBodies.read(Mute.class, " \n"));
        assertNull(ApiBodies.read(Mute.class, "null"));
    }

    @Test
    void aFieldOfAnotherKindIsRefusedByName() {
        assertEquals("text must be text", refusal(Notice.class, "{\"text\":42}"));
        assertEquals("text must be text", refusal(Notice.class, "{\"text\":true}"));
        assertEquals("minutes must be a whole number", refusal(Mute.class, "{\"minutes\":\"10\"}"));
        assertEquals("minutes must be a whole number", refusal(Mute.class, "{\"minutes\":1.5}"));
        assertEquals("minutes must be a whole number", refusal(Mute.class, "{\"minutes\":1e2}"));
        assertEquals("minutes must be a whole number", refusal(Mute.class, "{\"minutes\":[10]}"));
        assertEquals("minutes must be a whole number of at most 2147483647",
                refusal(Mute.class, "{\"minutes\":2147483648}"));
        assertEquals("text must not contain the character NUL", refusal(Notice.class, "{\"text\":\"a\\u0000b\"}"));
    }

    @Test
    void aFieldTheRecordLacksIsRefused() {
        assertEquals("unknown field minute; the fields are minutes", refusal(Mute.class, "{\"minute\":5}"));
        assertEquals("unknown field Minutes; the fields are minutes", refusal(Mute.class, "{\"Minutes\":5}"));
        assertEquals("unknown field minutes: the operation takes none", refusal(NoFields.class, "{\"minutes\":60}"));
        assertEquals(new NoFields(), ApiBodies.read(NoFields.class, "{}"));
    }

    @Test
    void aBodyThatIsNotOneJsonObjectIsRefused() {
        assertEquals("the body must be a JSON object", refusal(Notice.class, "[]"));
        assertEquals("the body must be a JSON object", refusal(Notice.class, "\"hi\""));
        assertEquals("the body is not valid JSON", refusal(Notice.class, "{\"text\":\"hi\"}xyz"));
        assertEquals("the body is not valid JSON", refusal(Notice.class, "{\"text\":"));
    }

    private static String refusal(Class<? extends Record> type, String body) {
        return assertThrows(IllegalArgumentException.class, () -> ApiBodies.read(type, body)).getMessage();
    }
}
