package dev.parley.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MentionsTest {

    @Test
    void namesAfterAnAtAreMentionsOnceEachWithoutTheFullStopOfTheSentence() {
        assertEquals(List.of("bob", "guest-ann.b"), Mentions.in("@bob, ask @guest-ann.b. Then @bob again."));
        assertEquals(List.of(), Mentions.in("mail bob@example.org, or @ alone, or @@"));
        assertEquals(List.of(), Mentions.in("no at sign, so nobody"));
        assertEquals(List.of("ann"), Mentions.in("@ann"), "a text that is one mention");
        assertEquals(List.of("x".repeat(38)), Mentions.in("@" + "x".repeat(38)));
        assertEquals(List.of(), Mentions.in("@" + "x".repeat(39)), "no name is longer than 38 characters");
        assertTrue(Mentions.mentions("(@cy) look", "cy"));
        assertFalse(Mentions.mentions("@cyril", "cy"), "a longer name is somebody else");
    }
}
