package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.Limits;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.testing.TestChat;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a member finds in a room: the messages holding a text, a window of the room at a time. */
class RoomSearchTest {

    /** A queue of 64 KiB: its catch-up share, 16 KiB, holds four of the longest texts, not five. */
    private static final Limits SMALL_QUEUE = TestChat.withQueue(64 * 1024);

    private final TestChat t = new TestChat(SMALL_QUEUE);
    private final TestChat.Client ann = t.member("ann", "lobby");
    private final TestChat.Client eve = t.member("eve", "lobby");

    @Test
    void theMessagesThatHoldTheTextInAnyCaseAreFoundInSeqOrderAsTheyReadNow() {
        post("ann", "Lunch at noon?");          // 1
        post("eve", "no LUNCH for me");         // 2
        post("ann", "dinner then");             // 3
        post("ann", "lunchbox forgotten");      // 4, deleted below
        post("eve", "a late lunch, edited");    // 5, edited below
        t.messages.delete("lobby", 4, "ann");
        t.messages.edit("lobby", 5, "a late supper", "eve");
        t.messages.setTopic("lobby", "lunch talk", "ann");
        post("ann", "\u00c9t\u00e9 lunch");     // 9, after the deletion, the edit and the topic events

        JsonObject found = search(ann, "lunch", null, null);
        assertEquals(List.of(1L, 2L, 9L), seqs(found), "not the deleted message, the edit, the topic or the event");
        assertEquals("Lunch at noon?", found.getJsonArray("items").getJsonObject(0).getString("text"));
        assertFalse(found.containsKey("before"), "the whole room was read");
        assertEquals(List.of(), seqs(search(ann, "supper at", null, null)));
        assertEquals(List.of(5L), seqs(search(ann, "  SUPPER ", null, null)),
                "the text as edited, the spaces around the search's off");
    }

    @Test
    void aBlockedAuthorsMessagesAreNotFoundAndAnotherRoomsAreNot() {
        post("eve", "something about cake");
        post("ann", "cake!");
        t.member("ann", "kitchen");
        t.messages.append(new MessageStore.NewMessage("kitchen", "ann", "cake in the kitchen", StoredMessage.TEXT,
                "k-1", null));
        t.chat.handle(ann.connection(), new ClientFrame.Block("b", "eve"));
        assertEquals(List.of(2L), seqs(search(ann, "cake", null, null)));
    }

    /** A page of matches reached: the next search goes on below its oldest, and then down to the first message. */
    @Test
    void aSearchGoesOnBelowThePageItFilled() {
        for (int i = 1; i <= 5; i++) {
            post("ann", "match " + i);
        }
        JsonObject first = search(ann, "match", null, 2);
        assertEquals(List.of(4L, 5L), seqs(first));
        assertEquals(4, first.getJsonNumber("before").longValue());
        JsonObject second = search(ann, "match", 4L, 2);
        assertEquals(List.of(2L, 3L), seqs(second));
        JsonObject third = search(ann, "match", second.getJsonNumber("before").longValue(), 2);
        assertEquals(List.of(1L), seqs(third));
        assertFalse(third.containsKey("before"));
    }

    /**
     * One search reads a window of the room's newest seqs: a match at its oldest seq is found; one just below it is
     * the next search's.
     */
    @Test
    void aSearchReadsAWindowOfTheRoomAndSaysWhereTheNextGoesOn() {
        post("ann", "the needle");
        post("ann", "a needle at the edge");
        for (int i = 2; i < MessageStore.SEARCH_SCANNED; i++) {
            post("eve", "hay");
        }
        post("ann", "another needle");
        long newest = MessageStore.SEARCH_SCANNED + 1;

        JsonObject recent = search(ann, "needle", null, null);
        assertEquals(List.of(2L, newest), seqs(recent));
        assertEquals(2, recent.getJsonNumber("before").longValue(),
                "the oldest seq this one read: it read " + MessageStore.SEARCH_SCANNED);
        JsonObject older = search(ann, "needle", recent.getJsonNumber("before").longValue(), null);
        assertEquals(List.of(1L), seqs(older));
        assertFalse(older.containsKey("before"));
    }

    @Test
    void aSearchIsForOneToAHundredCharactersByAMember() {
        assertEquals("bad_request", search(ann, " ", null, null).getString("code"));
        String longest = "\uD83C\uDF82".repeat(Limits.MAX_SEARCH_CHARS);
        assertEquals("found", search(ann, " " + longest + " ", null, null).getString("type"), "without its spaces");
        assertEquals("too_large", search(ann, longest + "x", null, null).getString("code"));
        TestChat.Client cy = t.hello("cy");
        assertEquals("not_member", search(cy, "anything", null, null).getString("code"));
    }

    /** As a history page: the answer fits the reader's catch-up share, keeping the newest, and goes on below. */
    @Test
    void manyLongMatchesComeAFewAtATime() {
        for (int i = 0; i < 5; i++) {
            post("eve", "long " + "x".repeat(3990));
        }
        JsonObject first = search(ann, "long", null, null);
        assertTrue(seqs(first).size() < 5 && seqs(first).contains(5L), seqs(first).toString());
        long before = first.getJsonNumber("before").longValue();
        assertEquals(seqs(first).get(0), before);
        JsonObject rest = search(ann, "long", before, null);
        assertEquals(5, seqs(first).size() + seqs(rest).size(), "nothing skipped");
    }

    private void post(String from, String text) {
        t.messages.append(new MessageStore.NewMessage("lobby", from, text, StoredMessage.TEXT, null, null));
    }

    private JsonObject search(TestChat.Client client, String text, Long before, Integer limit) {
        t.chat.handle(client.connection(), new ClientFrame.Search("q", "lobby", text, before, limit));
        return client.out().reply("q");
    }

    private static List<Long> seqs(JsonObject found) {
        return found.getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .map(m -> m.getJsonNumber("seq")).map(JsonNumber::longValue).toList();
    }
}
