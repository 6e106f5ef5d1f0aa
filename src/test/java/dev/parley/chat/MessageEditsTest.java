package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Edits and deletions by the people of a room: who may, until when, and what everybody sees. */
class MessageEditsTest {

    private final TestChat t = new TestChat();
    private final TestChat.Client ann = t.member("ann", "lobby");
    private final TestChat.Client bob = t.member("bob", "lobby");

    @Test
    void aSenderEditsWithinTheWindowAndEverybodySeesTheNewTextWithItsMark() {
        send(bob, "helo", "c-1");
        handle(bob, new ClientFrame.Edit("e", "lobby", 1L, "hello"));
        assertEquals("ok", bob.out().reply("e").getString("type"));

        JsonObject event = lastMessage(ann);
        assertEquals("edited", event.getString("kind"));
        assertEquals(1, event.getInt("target"));
        assertEquals("hello", event.getString("text"));
        assertEquals(2, event.getInt("seq"), "the edit has a seq of its own, so that a resume brings it");

        JsonObject edited = history(ann).get(0);
        assertEquals("hello", edited.getString("text"));
        assertTrue(edited.getBoolean("edited"));

        Duration window = t.chat.limits().editWindow();
        long told = bob.out().ofType("welcome").get(0).getJsonNumber("editSeconds").longValueExact();
        assertEquals(window.toSeconds(), told, "the welcome tells the window the server keeps");
        t.clock.advance(window);
        handle(bob, new ClientFrame.Edit("last", "lobby", 1L, "hello."));
        assertEquals("ok", bob.out().reply("last").getString("type"), "the window's last moment");
        t.clock.advance(Duration.ofMillis(1));
        handle(bob, new ClientFrame.Edit("late", "lobby", 1L, "hello!"));
        assertEquals("forbidden", bob.out().reply("late").getString("code"), "past the edit window");
    }

    @Test
    void onlyTheSenderEditsAndOnlyTextThatStands() {
        send(bob, "mine", "c-1");
        handle(ann, new ClientFrame.Edit("e", "lobby", 1L, "yours now"));
        assertEquals("forbidden", ann.out().reply("e").getString("code"));
        handle(bob, new ClientFrame.Edit("blank", "lobby", 1L, " "));
        assertEquals("bad_request", bob.out().reply("blank").getString("code"));
        int maxText = t.chat.limits().maxTextChars();
        handle(bob, new ClientFrame.Edit("longest", "lobby", 1L, "x".repeat(maxText)));
        assertEquals("ok", bob.out().reply("longest").getString("type"));
        handle(bob, new ClientFrame.Edit("long", "lobby", 1L, "x".repeat(maxText + 1)));
        assertEquals("too_large", bob.out().reply("long").getString("code"));
        handle(bob, new ClientFrame.Edit("none", "lobby", 9L, "x"));
        assertEquals("not_found", bob.out().reply("none").getString("code"));
        handle(bob, new ClientFrame.Delete("d", "lobby", 1L));
        handle(bob, new ClientFrame.Edit("gone", "lobby", 1L, "back"));
        assertEquals("not_found", bob.out().reply("gone").getString("code"), "a deleted message is not edited");
        assertEquals("", history(ann).get(0).getString("text"));
    }

    @Test
    void theSenderAndTheRoomsModeratorsDeleteOthersDoNot() {
        TestChat.Client cy = t.member("cy", "lobby");
        send(bob, "bob's", "c-1");
        send(cy, "cy's", "c-2");

        handle(cy, new ClientFrame.Delete("not-mine", "lobby", 1L));
        assertEquals("forbidden", cy.out().reply("not-mine").getString("code"));
        handle(bob, new ClientFrame.Delete("mine", "lobby", 1L));
        assertEquals("ok", bob.out().reply("mine").getString("type"));
        handle(ann, new ClientFrame.Delete("owner", "lobby", 2L));
        assertEquals("ok", ann.out().reply("owner").getString("type"), "ann owns the room");

        List<JsonObject> events = cy.out().ofType("message").stream()
                .filter(m -> m.getString("kind").equals("deleted")).toList();
        assertEquals(List.of(1, 2), events.stream().map(e -> e.getInt("target")).toList());
        assertEquals(List.of("bob", "ann"), events.stream().map(e -> e.getString("from")).toList());
        handle(bob, new ClientFrame.Delete("again", "lobby", 1L));
        assertEquals("not_found", bob.out().reply("again").getString("code"));
        handle(bob, new ClientFrame.Delete("event", "lobby", 3L));
        assertEquals("not_found", bob.out().reply("event").getString("code"), "an event is not deleted");
    }

    @Test
    void aModeratorDeletesTheMessagesOfLowerRankAndTheOwnerAnybodys() {
        TestChat.Client cy = t.member("cy", "lobby");
        TestChat.Client dee = t.member("dee", "lobby");
        handle(ann, new ClientFrame.SetRole("r1", "lobby", "bob", "moderator"));
        handle(ann, new ClientFrame.SetRole("r2", "lobby", "dee", "moderator"));
        send(ann, "the owner's", "c-1");
        send(dee, "another moderator's", "c-2");
        send(cy, "a member's", "c-3");
        send(cy, "a former member's", "c-4");
        assertEquals(List.of("system", "system", "ann", "dee", "cy", "cy"), history(bob).stream()
                .map(m -> m.getString("from")).toList());

        handle(bob, new ClientFrame.Delete("owner", "lobby", 3L));
        assertEquals("forbidden", bob.out().reply("owner").getString("code"), "the owner outranks moderators");
        handle(bob, new ClientFrame.Delete("peer", "lobby", 4L));
        assertEquals("forbidden", bob.out().reply("peer").getString("code"), "a moderator does not outrank another");
        handle(bob, new ClientFrame.Delete("notice", "lobby", 1L));
        assertEquals("forbidden", bob.out().reply("notice").getString("code"), "the record of moderation stays");
        handle(bob, new ClientFrame.Delete("member", "lobby", 5L));
        assertEquals("ok", bob.out().reply("member").getString("type"));
        handle(cy, new ClientFrame.Leave("l", "lobby"));
        handle(bob, new ClientFrame.Delete("gone", "lobby", 6L));
        assertEquals("ok", bob.out().reply("gone").getString("type"), "somebody no longer in the room");

        handle(ann, new ClientFrame.Delete("any", "lobby", 4L));
        assertEquals("ok", ann.out().reply("any").getString("type"));
        handle(ann, new ClientFrame.Delete("own-notice", "lobby", 1L));
        assertEquals("ok", ann.out().reply("own-notice").getString("type"), "the owner removes a notice");
    }

    @Test
    void mentionsAreListedOnTheMessageAndCountedInWelcomeForWhoWasAway() {
        send(ann, "@bob look, and @nobody.", "c-1");
        assertEquals(List.of("bob", "nobody"), mentions(lastMessage(bob)));
        handle(bob, new ClientFrame.Ack(null, "lobby", 1L, null));
        t.chat.closed(bob.connection(), 1000);

        send(ann, "@bob are you there?", "c-2");
        send(ann, "no mention here", "c-3");
        send(ann, "@bobby is not bob", "c-4");
        TestChat.Client back = t.hello("bob");
        JsonObject lobby = back.out().ofType("welcome").get(0).getJsonArray("rooms").getJsonObject(0);
        assertEquals(3, lobby.getInt("unread"));
        assertEquals(1, lobby.getInt("mentions"), "one unread message names bob");
        List<JsonObject> replayed = back.out().ofType("message");
        assertEquals(List.of("bob"), mentions(replayed.get(0)));
        assertFalse(replayed.get(1).containsKey("mentions"), "no mention, no list");
        assertEquals(List.of("bobby"), mentions(replayed.get(2)), "@bobby names somebody else");
    }

    /** A reconnect reads the newest unread messages of a room for mentions, not a backlog of any size. */
    @Test
    void mentionsAreCountedAmongTheNewestUnreadMessages() {
        t.chat.closed(bob.connection(), 1000);
        send(ann, "@bob first", "c-1");
        send(ann, "@bob second", "c-2");
        for (int i = 1; i < MessageStore.UNREAD_SCANNED; i++) {
            t.messages.append(new MessageStore.NewMessage("lobby", "ann", "busy " + i, StoredMessage.TEXT, "b-" + i,
                    null));
        }
        JsonObject lobby = t.hello("bob").out().ofType("welcome").get(0).getJsonArray("rooms").getJsonObject(0);
        assertEquals(MessageStore.UNREAD_SCANNED + 1, lobby.getInt("unread"));
        assertEquals(1, lobby.getInt("mentions"), "the second is among the newest; the first is not read");
    }

    @Test
    void typingReachesTheOthersAtMostEveryTwoSeconds() {
        handle(ann, new ClientFrame.Typing(null, "lobby"));
        handle(ann, new ClientFrame.Typing(null, "lobby"));
        assertEquals(1, bob.out().ofType("typing").size());
        t.clock.advance(Duration.ofMillis(ChatService.TYPING_EVERY_MILLIS - 1));
        handle(ann, new ClientFrame.Typing(null, "lobby"));
        assertEquals(1, bob.out().ofType("typing").size(), "a millisecond early");
        t.clock.advance(Duration.ofMillis(1));
        handle(ann, new ClientFrame.Typing(null, "lobby"));
        assertEquals(2, bob.out().ofType("typing").size());
    }

    @Test
    void moderationIsToldToTheRoomWithWhoDidIt() {
        handle(ann, new ClientFrame.SetRole("r", "lobby", "bob", "moderator"));
        handle(ann, new ClientFrame.Ban("b", "lobby", "eve"));
        handle(ann, new ClientFrame.Unban("u", "lobby", "eve"));
        handle(ann, new ClientFrame.SetAccess("a", "lobby", "invite", null));
        assertEquals(List.of("ann made bob a moderator", "ann banned eve", "ann unbanned eve",
                "ann made the room invite-only"), bob.out().ofType("message").stream()
                .filter(m -> m.getString("kind").equals("system")).map(m -> m.getString("text")).toList());
        assertFalse(bob.out().ofType("message").stream().anyMatch(m -> !m.getString("from").equals("system")));
    }

    private void send(TestChat.Client client, String text, String clientMsgId) {
        handle(client, new ClientFrame.Send("s", "lobby", text, clientMsgId, null));
    }

    private void handle(TestChat.Client client, ClientFrame frame) {
        t.chat.handle(client.connection(), frame);
    }

    private static List<String> mentions(JsonObject message) {
        return message.getJsonArray("mentions").getValuesAs(JsonString.class).stream().map(JsonString::getString)
                .toList();
    }

    private static JsonObject lastMessage(TestChat.Client client) {
        List<JsonObject> messages = client.out().ofType("message");
        return messages.get(messages.size() - 1);
    }

    private List<JsonObject> history(TestChat.Client client) {
        handle(client, new ClientFrame.History("h", "lobby", null, null));
        return client.out().reply("h").getJsonArray("items").getValuesAs(JsonObject.class);
    }
}
