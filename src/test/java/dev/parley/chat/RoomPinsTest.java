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
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A room's pinned messages: who pins them, how many, and what every member is shown of them. */
class RoomPinsTest {

    /** A queue of 64 KiB: its catch-up share, 16 KiB, holds four of the longest texts, not five. */
    private static final Limits SMALL_QUEUE = TestChat.withQueue(64 * 1024);

    private final TestChat t = new TestChat(SMALL_QUEUE);
    private final TestChat.Client ann = t.member("ann", "lobby");
    private final TestChat.Client bob = t.member("bob", "lobby");

    @Test
    void thePinIsToldToTheRoomAndListedAsTheMessageReadsNow() {
        say(ann, "Rules: be kind");
        say(bob, "hello all");
        handle(ann, new ClientFrame.Pin("p", "lobby", 1L));
        assertEquals("ok", ann.out().reply("p").getString("type"));
        JsonObject told = lastMessage(bob);
        assertEquals(List.of("pinned", "ann", "1", "3"), List.of(told.getString("kind"), told.getString("from"),
                told.get("target").toString(), told.get("seq").toString()), "an event with a seq of its own");
        assertEquals(List.of("1 ann Rules: be kind"), pins(bob, null));

        handle(ann, new ClientFrame.Edit("e", "lobby", 1L, "Rules: be kind, stay on topic"));
        assertEquals(List.of("1 ann Rules: be kind, stay on topic"), pins(bob, null), "as it reads now");
        int messages = bob.out().ofType("message").size();
        handle(ann, new ClientFrame.Pin("again", "lobby", 1L));
        assertEquals("ok", ann.out().reply("again").getString("type"));
        assertEquals(messages, bob.out().ofType("message").size(), "pinned already: nothing changes, nothing told");

        handle(ann, new ClientFrame.Pin("p2", "lobby", 2L));
        assertEquals(List.of("1 ann Rules: be kind, stay on topic", "2 bob hello all"), pins(bob, null),
                "in seq order");
        assertEquals(List.of("1 ann Rules: be kind, stay on topic"), pins(bob, 2L), "below before");
        handle(ann, new ClientFrame.Unpin("u", "lobby", 1L));
        assertEquals("ok", ann.out().reply("u").getString("type"));
        told = lastMessage(bob);
        assertEquals(List.of("unpinned", "1"), List.of(told.getString("kind"), told.get("target").toString()));
        assertEquals(List.of("2 bob hello all"), pins(bob, null));
        messages = bob.out().ofType("message").size();
        handle(ann, new ClientFrame.Unpin("u2", "lobby", 1L));
        assertEquals("ok", ann.out().reply("u2").getString("type"));
        assertEquals(messages, bob.out().ofType("message").size(), "not pinned: nothing changes");
    }

    @Test
    void onlyTheOwnerAndUnmutedModeratorsPinAndOnlyPeoplesStandingTexts() {
        post("bob", "pin me");
        handle(bob, new ClientFrame.Pin("member", "lobby", 1L));
        assertEquals("forbidden", bob.out().reply("member").getString("code"));
        handle(ann, new ClientFrame.SetRole("r", "lobby", "bob", "moderator"));
        handle(bob, new ClientFrame.Pin("moderator", "lobby", 1L));
        assertEquals("ok", bob.out().reply("moderator").getString("type"));
        handle(ann, new ClientFrame.Mute("m", "lobby", "bob", 5));
        handle(bob, new ClientFrame.Unpin("muted", "lobby", 1L));
        assertEquals("muted", bob.out().reply("muted").getString("code"));

        TestChat.Client cy = t.hello("cy");
        handle(cy, new ClientFrame.Pins("outsider", "lobby", null));
        assertEquals("not_member", cy.out().reply("outsider").getString("code"));
        handle(ann, new ClientFrame.Pin("event", "lobby", 2L));
        assertEquals("not_found", ann.out().reply("event").getString("code"), "seq 2 is the role's line");
        handle(ann, new ClientFrame.Pin("none", "lobby", 99L));
        assertEquals("not_found", ann.out().reply("none").getString("code"));

        handle(ann, new ClientFrame.Dm("dm", "bob"));
        String direct = ann.out().reply("dm").getString("room");
        handle(ann, new ClientFrame.Send("s", direct, "between us", "d-1", null));
        handle(ann, new ClientFrame.Pin("direct", direct, 1L));
        assertEquals("forbidden", ann.out().reply("direct").getString("code"), "nobody moderates a conversation");
    }

    /** An archived room takes no new pin; a pin comes off all the same, as a topic is cleared there. */
    @Test
    void anArchivedRoomTakesNoPinThoughOneComesOff() {
        post("ann", "first");
        post("ann", "second");
        handle(ann, new ClientFrame.Pin("p", "lobby", 1L));
        t.rooms.setArchived("lobby", true);
        handle(ann, new ClientFrame.Pin("archived", "lobby", 2L));
        assertEquals("forbidden", ann.out().reply("archived").getString("code"));
        handle(ann, new ClientFrame.Unpin("off", "lobby", 1L));
        assertEquals("ok", ann.out().reply("off").getString("type"));
        assertEquals(List.of(), pins(bob, null));
    }

    @Test
    void aRoomKeepsFiftyPinsAtMost() {
        LongStream.rangeClosed(1, MessageStore.MAX_PINS + 1).forEach(i -> post("bob", "message " + i));
        for (long seq = 1; seq <= MessageStore.MAX_PINS; seq++) {
            handle(ann, new ClientFrame.Pin("p" + seq, "lobby", seq));
            assertEquals("ok", ann.out().reply("p" + seq).getString("type"), "pin " + seq);
        }
        handle(ann, new ClientFrame.Pin("past", "lobby", MessageStore.MAX_PINS + 1L));
        JsonObject refused = ann.out().reply("past");
        assertEquals("conflict", refused.getString("code"));
        assertEquals("lobby has 50 pinned messages, as many as a room may: unpin one first",
                refused.getString("message"));
        assertEquals(MessageStore.MAX_PINS, pins(bob, null).size());

        handle(ann, new ClientFrame.Unpin("u", "lobby", 1L));
        handle(ann, new ClientFrame.Pin("room", "lobby", MessageStore.MAX_PINS + 1L));
        assertEquals("ok", ann.out().reply("room").getString("type"), "room for one again");
    }

    /** A deleted message's pin goes with its words; the reader's blocked author's pins are not listed. */
    @Test
    void aDeletedMessageIsUnpinnedAndABlockedAuthorsPinsAreNotListed() {
        say(bob, "regrettable");
        say(bob, "fine");
        handle(ann, new ClientFrame.Pin("p1", "lobby", 1L));
        handle(ann, new ClientFrame.Pin("p2", "lobby", 2L));
        handle(bob, new ClientFrame.Delete("d", "lobby", 1L));
        assertEquals(List.of("2 bob fine"), pins(ann, null));
        handle(ann, new ClientFrame.Unpin("u", "lobby", 1L));
        assertEquals("ok", ann.out().reply("u").getString("type"));
        assertFalse(lastMessage(bob).getString("kind").equals("unpinned"), "it was unpinned with the deletion");

        TestChat.Client cy = t.member("cy", "lobby");
        handle(cy, new ClientFrame.Block("b", "bob"));
        assertEquals(List.of(), pins(cy, null));
        handle(cy, new ClientFrame.Block("b2", "ann"));
        handle(ann, new ClientFrame.Unpin("u2", "lobby", 2L));
        assertEquals("unpinned", lastMessage(cy).getString("kind"), "a pin is the room's: not hidden as ann's");
    }

    /** As a search's answer: the list fits the reader's catch-up share, keeping the newest, and goes on below. */
    @Test
    void manyLongPinsComeAFewAtATime() {
        for (long seq = 1; seq <= 5; seq++) {
            post("bob", "long " + "x".repeat(3990));
            handle(ann, new ClientFrame.Pin("p" + seq, "lobby", seq * 2 - 1));
        }
        handle(bob, new ClientFrame.Pins("first", "lobby", null));
        JsonObject first = bob.out().reply("first");
        List<Long> seqs = seqs(first);
        assertTrue(seqs.size() < 5 && seqs.contains(9L), seqs.toString());
        long before = first.getJsonNumber("before").longValue();
        assertEquals(seqs.get(0), before);
        handle(bob, new ClientFrame.Pins("rest", "lobby", before));
        JsonObject rest = bob.out().reply("rest");
        assertEquals(5, seqs.size() + seqs(rest).size(), "nothing skipped");
        assertFalse(rest.containsKey("before"), "nothing after the rest");
    }

    /** Sent as a client sends it, and so delivered live: the pin events that follow are not held for it. */
    private void say(TestChat.Client client, String text) {
        handle(client, new ClientFrame.Send("s", "lobby", text, text, null));
        assertEquals("receipt", client.out().reply("s").getString("type"), text);
    }

    /** Stored without being delivered: for tests that look only at what is stored and listed. */
    private void post(String from, String text) {
        t.messages.append(new MessageStore.NewMessage("lobby", from, text, StoredMessage.TEXT, null, null));
    }

    private void handle(TestChat.Client client, ClientFrame frame) {
        t.chat.handle(client.connection(), frame);
    }

    /** The pinned messages the client is given: "seq from text" each. */
    private List<String> pins(TestChat.Client client, Long before) {
        handle(client, new ClientFrame.Pins("pins", "lobby", before));
        return client.out().reply("pins").getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .map(m -> m.get("seq") + " " + m.getString("from") + " " + m.getString("text")).toList();
    }

    private static List<Long> seqs(JsonObject answer) {
        return answer.getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .map(m -> m.getJsonNumber("seq")).map(JsonNumber::longValue).toList();
    }

    private static JsonObject lastMessage(TestChat.Client client) {
        List<JsonObject> messages = client.out().ofType("message");
        return messages.get(messages.size() - 1);
    }
}
