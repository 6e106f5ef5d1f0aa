package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.config.Limits;
import dev.parley.protocol.ServerFrame;
import dev.parley.testing.TestChat;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** A page as the reader's queue takes it: whole at its catch-up share, cut one character past it. */
class CatchUpShareTest {

    private static final long QUEUE = 64 * 1024;
    /** Items as the page's JSON, which here is their text alone. */
    private static final BiFunction<List<String>, Boolean, String> JOINED = (items, cut) -> String.join("", items);

    private final Limits limits = TestChat.withQueue(QUEUE);
    private final TestChat t = new TestChat(limits);
    private final TestChat.Client reader = t.hello("ann");

    @Test
    void aPageOfTheShareGoesWholeAndOneCharacterMoreIsCutToItsNewest() {
        int share = Math.toIntExact(limits.catchUpChars());
        List<String> atShare = List.of("a".repeat(share / 2), "b".repeat(share - share / 2));
        assertEquals(atShare, fit(atShare, true));
        List<String> past = List.of("a".repeat(share / 2), "b".repeat(share - share / 2 + 1));
        assertEquals(past.subList(1, 2), fit(past, true), "the newest kept");
        assertEquals(past.subList(0, 1), fit(past, false), "or the first");
    }

    /** What the reader still has to read is taken from its share. */
    @Test
    void whatTheReaderHasStillToReadIsTakenFromTheShare() {
        reader.out().queueBoundChars = QUEUE;
        reader.connection().send(new ServerFrame.Typing("lobby", "bob"));
        int left = Math.toIntExact(limits.catchUpChars() - reader.out().queuedChars());
        List<String> atShare = List.of("a".repeat(left - 1), "b");
        assertEquals(atShare, fit(atShare, true));
        List<String> past = List.of("a".repeat(left), "b");
        assertEquals(List.of("b"), fit(past, true));
    }

    private List<String> fit(List<String> items, boolean keepNewest) {
        return CatchUpShare.fit(reader.connection(), limits, items, keepNewest, JOINED).items();
    }
}
