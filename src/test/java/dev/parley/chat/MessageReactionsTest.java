package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Reactions to messages: who reacts to what, how many kinds a message takes, and what the room is told. */
class MessageReactionsTest {

    private final TestChat t = new TestChat();
    private final TestChat.Client ann = t.member("ann", "lobby");
    private final TestChat.Client bob = t.member("bob", "lobby");

    @Test
    void aReactionAndItsTakingBackAreToldToTheRoomEachOnce() {
        say(ann, "lunch at noon?");
        handle(bob, new ClientFrame.React("r", "lobby", 1L, "👍"));
        assertEquals("ok", bob.out().reply("r").getString("type"));
        JsonObject told = lastMessage(ann);
        assertEquals(List.of("reacted", "bob", "👍", "1", "2"), List.of(told.getString("kind"),
                told.getString("from"), told.getString("text"), told.get("target").toString(),
                told.get("seq").toString()), "an event with a seq of its own");
        assertEquals(told, lastMessage(bob), "to the reacting member too: their other devices show it");

        int messages = ann.out().ofType("message").size();
        handle(bob, new ClientFrame.React("again", "lobby", 1L, "👍"));
        assertEquals("ok", bob.out().reply("again").getString("type"));
        assertEquals(messages, ann.out().ofType("message").size(), "made already: nothing changes, nothing told");
        handle(ann, new ClientFrame.React("own", "lobby", 1L, "👍"));
        assertEquals("reacted", lastMessage(bob).getString("kind"), "one's own message and another's emoji alike");

        handle(bob, new ClientFrame.Unreact("u", "lobby", 1L, "👍"));
        assertEquals("ok", bob.out().reply("u").getString("type"));
        told = lastMessage(ann);
        assertEquals(List.of("unreacted", "bob", "👍", "1"), List.of(told.getString("kind"), told.getString("from"),
                told.getString("text"), told.get("target").toString()));
        messages = ann.out().ofType("message").size();
        handle(bob, new ClientFrame.Unreact("u2", "lobby", 1L, "👍"));
        assertEquals("ok", bob.out().reply("u2").getString("type"));
        assertEquals(messages, ann.out().ofType("message").size(), "not made: nothing changes");
    }

    @Test
    void onlyMembersReactAndOnlyToPeoplesStandingMessages() {
        say(ann, "hello");
        TestChat.Client cy = t.hello("cy");
        handle(cy, new ClientFrame.React("outsider", "lobby", 1L, "🎉"));
        assertEquals("not_member", cy.out().reply("outsider").getString("code"));
        handle(ann, new ClientFrame.React("event", "lobby", 1L, "🎉"));
        handle(ann, new ClientFrame.React("on an event", "lobby", 2L, "🎉"));
        assertEquals("not_found", ann.out().reply("on an event").getString("code"), "seq 2 is a reaction");
        handle(ann, new ClientFrame.React("none", "lobby", 99L, "🎉"));
        assertEquals("not_found", ann.out().reply("none").getString("code"));
        t.messages.append(new MessageStore.NewMessage("lobby", "system", "maintenance at six", StoredMessage.SYSTEM,
                null, null));
        handle(ann, new ClientFrame.React("notice", "lobby", 3L, "🎉"));
        assertEquals("not_found", ann.out().reply("notice").getString("code"), "a notice is nobody's to answer");

        handle(ann, new ClientFrame.Delete("d", "lobby", 1L));
        handle(bob, new ClientFrame.React("deleted", "lobby", 1L, "🎉"));
        assertEquals("not_found", bob.out().reply("deleted").getString("code"));
        handle(ann, new ClientFrame.Unreact("gone", "lobby", 1L, "🎉"));
        assertEquals("ok", ann.out().reply("gone").getString("type"));
        assertEquals(List.of(), t.messages.after("lobby", 0, 100).stream()
                .filter(m -> m.kind().equals("unreacted")).toList(), "the deletion took the reactions with it");
    }

    /** A muted member does not react, though takes their reactions back; an archived room takes neither. */
    @Test
    void mutesBlocksAndArchivesStopReactions() {
        say(bob, "take this back");
        handle(bob, new ClientFrame.React("r", "lobby", 1L, "😅"));
        handle(ann, new ClientFrame.Mute("m", "lobby", "bob", 5));
        handle(bob, new ClientFrame.React("muted", "lobby", 1L, "🙈"));
        assertEquals("muted", bob.out().reply("muted").getString("code"));
        handle(bob, new ClientFrame.Unreact("back", "lobby", 1L, "😅"));
        assertEquals("ok", bob.out().reply("back").getString("type"));

        handle(ann, new ClientFrame.Dm("dm", "bob"));
        String direct = ann.out().reply("dm").getString("room");
        handle(ann, new ClientFrame.Send("s", direct, "between us", "d-1", null));
        handle(ann, new ClientFrame.Block("b", "bob"));
        handle(bob, new ClientFrame.React("blocked", direct, 1L, "❤️"));
        assertEquals("forbidden", bob.out().reply("blocked").getString("code"));
        handle(ann, new ClientFrame.React("asker", direct, 1L, "❤️"));
        assertEquals("ok", ann.out().reply("asker").getString("type"), "the one who blocked still reacts");

        t.rooms.setArchived("lobby", true);
        handle(ann, new ClientFrame.React("archived", "lobby", 1L, "👍"));
        assertEquals("forbidden", ann.out().reply("archived").getString("code"));
        handle(ann, new ClientFrame.Unreact("archived too", "lobby", 1L, "👍"));
        assertEquals("forbidden", ann.out().reply("archived too").getString("code"));
    }

    /** A reader who blocked the member gets their reactions as placeholders, as any message of theirs. */
    @Test
    void aBlockedMembersReactionReachesTheBlockerAsAPlaceholder() {
        say(ann, "who is in?");
        handle(ann, new ClientFrame.Block("b", "bob"));
        handle(bob, new ClientFrame.React("r", "lobby", 1L, "🙋"));
        JsonObject told = lastMessage(ann);
        assertEquals(List.of("hidden", "", "2"), List.of(told.getString("kind"), told.getString("text"),
                told.get("seq").toString()));
    }

    @Test
    void aMessageTakesTwentyKindsOfReactionAtMost() {
        say(ann, "vote with an emoji");
        IntStream.range(0, MessageStore.MAX_REACTIONS).forEach(i -> {
            handle(bob, new ClientFrame.React("r" + i, "lobby", 1L, "e" + i));
            assertEquals("ok", bob.out().reply("r" + i).getString("type"), "kind " + (i + 1));
        });
        handle(ann, new ClientFrame.React("past", "lobby", 1L, "new"));
        JsonObject refused = ann.out().reply("past");
        assertEquals("conflict", refused.getString("code"));
        assertEquals("message 1 has 20 different reactions, as many as a message may: add one of those",
                refused.getString("message"));
        handle(ann, new ClientFrame.React("same", "lobby", 1L, "e0"));
        assertEquals("ok", ann.out().reply("same").getString("type"), "one of the twenty, by somebody else");

        handle(bob, new ClientFrame.Unreact("u", "lobby", 1L, "e1"));
        handle(ann, new ClientFrame.React("room", "lobby", 1L, "new"));
        assertEquals("ok", ann.out().reply("room").getString("type"), "room for one kind again");
    }

    /**
     * The answers to {@code pins} and {@code search} carry each message's reactions, as its events would make
     * them (the reader has not those events), but those of people the reader blocks.
     */
    @Test
    void pinsAndSearchAnswersCarryTheReactions() {
        TestChat.Client cy = t.member("cy", "lobby");
        say(ann, "lunch at noon?");
        handle(bob, new ClientFrame.React("r1", "lobby", 1L, "👍"));
        handle(ann, new ClientFrame.React("r2", "lobby", 1L, "🎉"));
        handle(ann, new ClientFrame.React("r3", "lobby", 1L, "👍"));
        handle(cy, new ClientFrame.React("r4", "lobby", 1L, "👍"));
        handle(ann, new ClientFrame.Block("b", "cy"));
        handle(ann, new ClientFrame.Pin("p", "lobby", 1L));
        handle(ann, new ClientFrame.Pins("pins", "lobby", null));
        assertEquals(List.of("👍 2 [bob, ann]", "🎉 1 [ann]"), reactions(ann.out().reply("pins")), "not cy's");
        handle(bob, new ClientFrame.Search("found", "lobby", "lunch", null, null));
        assertEquals(List.of("👍 3 [bob, ann, cy]", "🎉 1 [ann]"), reactions(bob.out().reply("found")));
    }

    /** However many react with one emoji, an answer names the first twenty and counts them all. */
    @Test
    void aReactionNamesItsFirstTwentyPeopleAndCountsThemAll() {
        say(ann, "vote!");
        int voters = ServerFrame.ReactionState.NAMED + 1;
        for (int i = 0; i < voters; i++) {
            handle(t.member("voter" + i, "lobby"), new ClientFrame.React("v", "lobby", 1L, "👍"));
        }
        handle(ann, new ClientFrame.Search("found", "lobby", "vote", null, null));
        String named = IntStream.range(0, ServerFrame.ReactionState.NAMED).mapToObj(i -> "voter" + i)
                .collect(Collectors.joining(", "));
        assertEquals(List.of("👍 " + voters + " [" + named + "]"), reactions(ann.out().reply("found")));
    }

    /** The first message's reactions in a pins or search answer: each emoji, how many, and who. */
    private static List<String> reactions(JsonObject answer) {
        return answer.getJsonArray("items").getJsonObject(0).getJsonArray("reactions").getValuesAs(JsonObject.class)
                .stream().map(r -> r.getString("emoji") + " " + r.getInt("count") + " "
                        + r.getJsonArray("users").getValuesAs(JsonString.class).stream()
                        .map(JsonString::getString).toList()).toList();
    }

    /** Sent as a client sends it, and so delivered live. */
    private void say(TestChat.Client client, String text) {
        handle(client, new ClientFrame.Send("s", "lobby", text, text, null));
        assertEquals("receipt", client.out().reply("s").getString("type"), text);
    }

    private void handle(TestChat.Client client, ClientFrame frame) {
        t.chat.handle(client.connection(), frame);
    }

    private static JsonObject lastMessage(TestChat.Client client) {
        List<JsonObject> messages = client.out().ofType("message");
        return messages.get(messages.size() - 1);
    }
}
