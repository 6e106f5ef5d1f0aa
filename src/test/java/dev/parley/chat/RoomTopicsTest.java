package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.parley.config.Limits;
import dev.parley.protocol.ClientFrame;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A room's topic: who sets it, what it may be, and where every member sees it. */
class RoomTopicsTest {

    private final TestChat t = new TestChat();
    private final TestChat.Client ann = t.member("ann", "lobby");
    private final TestChat.Client bob = t.member("bob", "lobby");

    @Test
    void theOwnersTopicReachesTheRoomAndComesWithJoinsWelcomesAndTheDirectory() {
        handle(ann, new ClientFrame.Topic("t", "lobby", "  Plans for Saturday "));
        assertEquals("ok", ann.out().reply("t").getString("type"));
        JsonObject told = lastMessage(bob);
        assertEquals("topic", told.getString("kind"));
        assertEquals("ann", told.getString("from"));
        assertEquals("Plans for Saturday", told.getString("text"), "without the spaces around it");
        assertEquals(1, told.getInt("seq"), "a seq of its own, so that a resume brings it");

        TestChat.Client cy = t.member("cy", "lobby");
        assertEquals("Plans for Saturday", cy.out().ofType("joined").get(0).getString("topic"));
        TestChat.Client bobAgain = t.hello("bob");
        JsonObject room = bobAgain.out().ofType("welcome").get(0).getJsonArray("rooms").getJsonObject(0);
        assertEquals("Plans for Saturday", room.getString("topic"));
        handle(cy, new ClientFrame.Directory("d", "lob", null, null));
        assertEquals("Plans for Saturday", cy.out().reply("d").getJsonArray("items").getJsonObject(0)
                .getString("topic"));
        handle(cy, new ClientFrame.History("h", "lobby", null, null));
        assertEquals(List.of("topic ann Plans for Saturday"), cy.out().reply("h").getJsonArray("items")
                .getValuesAs(JsonObject.class).stream().map(m -> m.getString("kind") + " " + m.getString("from")
                        + " " + m.getString("text")).toList());

        handle(ann, new ClientFrame.Topic("clear", "lobby", " "));
        assertEquals("", lastMessage(bob).getString("text"), "a blank topic clears it");
        TestChat.Client dee = t.member("dee", "lobby");
        assertFalse(dee.out().ofType("joined").get(0).containsKey("topic"), "a room without a topic says none");
    }

    @Test
    void onlyTheOwnerAndModeratorsSetItAndNobodyInADirectConversation() {
        handle(bob, new ClientFrame.Topic("member", "lobby", "mine now"));
        assertEquals("forbidden", bob.out().reply("member").getString("code"));
        handle(ann, new ClientFrame.SetRole("r", "lobby", "bob", "moderator"));
        handle(bob, new ClientFrame.Topic("moderator", "lobby", "bob's topic"));
        assertEquals("ok", bob.out().reply("moderator").getString("type"));

        TestChat.Client cy = t.hello("cy");
        handle(cy, new ClientFrame.Topic("outsider", "lobby", "cy's topic"));
        assertEquals("not_member", cy.out().reply("outsider").getString("code"));
        handle(ann, new ClientFrame.Dm("dm", "bob"));
        String direct = ann.out().reply("dm").getString("room");
        handle(ann, new ClientFrame.Topic("direct", direct, "us"));
        assertEquals("forbidden", ann.out().reply("direct").getString("code"));
        assertEquals("bob's topic", t.member("dee", "lobby").out().ofType("joined").get(0).getString("topic"));
    }

    /** Counted in characters as people count them: one past 16 bits is one character, not two. */
    @Test
    void aTopicIsOneLineOfAtMostItsLengthAndARefusalLeavesTheTopicAsItWas() {
        String longest = "\uD834\uDD1E".repeat(Limits.MAX_TOPIC_CHARS);
        handle(ann, new ClientFrame.Topic("longest", "lobby", " " + longest + "\t "));
        assertEquals("ok", ann.out().reply("longest").getString("type"), "counted without the spaces around it");
        handle(ann, new ClientFrame.Topic("long", "lobby", longest + "x"));
        assertEquals("too_large", ann.out().reply("long").getString("code"));
        handle(ann, new ClientFrame.Topic("lines", "lobby", "one\ntwo"));
        assertEquals("bad_request", ann.out().reply("lines").getString("code"));
        handle(ann, new ClientFrame.Topic("tab", "lobby", "one\ttwo"));
        assertEquals("bad_request", ann.out().reply("tab").getString("code"));

        assertEquals(longest, t.member("cy", "lobby").out().ofType("joined").get(0).getString("topic"));
        assertEquals(1, bob.out().ofType("message").size(), "only the topic that was set was told");
    }

    /** An archived room takes no new topic; its topic is cleared all the same, as its messages are deleted. */
    @Test
    void aMutedModeratorAndAnArchivedRoomTakeNoTopicThoughOneIsClearedThere() {
        handle(ann, new ClientFrame.SetRole("r", "lobby", "bob", "moderator"));
        handle(ann, new ClientFrame.Mute("m", "lobby", "bob", 5));
        handle(bob, new ClientFrame.Topic("muted", "lobby", "let me speak"));
        assertEquals("muted", bob.out().reply("muted").getString("code"));

        handle(ann, new ClientFrame.Topic("set", "lobby", "Before the archive"));
        t.rooms.setArchived("lobby", true);
        handle(ann, new ClientFrame.Topic("archived", "lobby", "too late"));
        assertEquals("forbidden", ann.out().reply("archived").getString("code"));
        handle(ann, new ClientFrame.Topic("cleared", "lobby", ""));
        assertEquals("ok", ann.out().reply("cleared").getString("type"));
        assertEquals("", lastMessage(bob).getString("text"));
    }

    /** The topic is the room's, shown to every member on joining: a reader who blocked its setter sees it too. */
    @Test
    void aReaderWhoBlockedTheSetterIsToldTheTopic() {
        handle(bob, new ClientFrame.Block("b", "ann"));
        handle(ann, new ClientFrame.Topic("t", "lobby", "Plans"));
        JsonObject told = lastMessage(bob);
        assertEquals("topic", told.getString("kind"));
        assertEquals("Plans", told.getString("text"));
    }

    private void handle(TestChat.Client client, ClientFrame frame) {
        t.chat.handle(client.connection(), frame);
    }

    private static JsonObject lastMessage(TestChat.Client client) {
        List<JsonObject> messages = client.out().ofType("message");
        return messages.get(messages.size() - 1);
    }
}
