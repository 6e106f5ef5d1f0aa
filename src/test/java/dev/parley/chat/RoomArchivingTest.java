package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ClientFrame;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An owner archives their room: read-only for everybody, read on by its members; nobody else may. */
class RoomArchivingTest {

    private final TestChat t = new TestChat();
    private final TestChat.Client ann = t.member("ann", "lobby");
    private final TestChat.Client bob = t.member("bob", "lobby");

    @Test
    void theOwnersArchiveMakesTheRoomReadOnlyAndSaysWhoDidIt() {
        handle(bob, new ClientFrame.Send("before", "lobby", "said before", "c-1", null));
        handle(ann, new ClientFrame.Archive("a", "lobby"));
        assertEquals("ok", ann.out().reply("a").getString("type"));
        JsonObject line = lastMessage(bob);
        assertEquals("system", line.getString("kind"));
        assertEquals("ann archived the room: it is read-only now.", line.getString("text"));
        for (TestChat.Client member : List.of(ann, bob)) {
            JsonObject told = member.out().last();
            assertEquals(List.of("archived", "lobby", true),
                    List.of(told.getString("type"), told.getString("room"), told.getBoolean("archived")),
                    "after the line, the room's open pages are told");
        }

        handle(bob, new ClientFrame.Send("after", "lobby", "anybody there?", "c-2", null));
        assertEquals("forbidden", bob.out().reply("after").getString("code"));
        TestChat.Client cy = t.hello("cy");
        handle(cy, new ClientFrame.Join("j", "lobby", null, null));
        assertEquals("forbidden", cy.out().reply("j").getString("code"), "nobody new joins");
        handle(cy, new ClientFrame.Directory("d", "lob", null, null));
        assertEquals(0, cy.out().reply("d").getJsonArray("items").size(), "nor finds it");
        handle(bob, new ClientFrame.History("h", "lobby", null, null));
        assertEquals(List.of("said before", "ann archived the room: it is read-only now."),
                bob.out().reply("h").getJsonArray("items").getValuesAs(JsonObject.class).stream()
                        .map(m -> m.getString("text")).toList(), "the members read on");

        handle(ann, new ClientFrame.Archive("again", "lobby"));
        assertEquals("conflict", ann.out().reply("again").getString("code"));
    }

    /**
     * A member's page opens a room with a join, and lists the user's rooms from the welcome: both say the room is
     * archived, so as to offer no box.
     */
    @Test
    void aJoinAndAWelcomeOfAnArchivedRoomSaySo() {
        handle(bob, new ClientFrame.Join("open", "lobby", null, null));
        assertFalse(bob.out().reply("open").containsKey("archived"), "open: nothing said");
        assertFalse(roomInWelcome(t.hello("bob")).containsKey("archived"));
        handle(ann, new ClientFrame.Archive("a", "lobby"));
        handle(bob, new ClientFrame.Join("archived", "lobby", null, null));
        assertTrue(bob.out().reply("archived").getBoolean("archived"));
        assertTrue(roomInWelcome(t.hello("bob")).getBoolean("archived"));
    }

    private static JsonObject roomInWelcome(TestChat.Client client) {
        return client.out().ofType("welcome").get(0).getJsonArray("rooms").getJsonObject(0);
    }

    @Test
    void onlyTheOwnerArchivesAndNobodyADirectConversation() {
        handle(bob, new ClientFrame.Archive("member", "lobby"));
        assertEquals("forbidden", bob.out().reply("member").getString("code"));
        handle(ann, new ClientFrame.SetRole("r", "lobby", "bob", "moderator"));
        handle(bob, new ClientFrame.Archive("moderator", "lobby"));
        assertEquals("forbidden", bob.out().reply("moderator").getString("code"), "a moderator runs it, not ends it");
        TestChat.Client cy = t.hello("cy");
        handle(cy, new ClientFrame.Archive("outsider", "lobby"));
        assertEquals("not_member", cy.out().reply("outsider").getString("code"));
        handle(ann, new ClientFrame.Dm("dm", "bob"));
        String direct = ann.out().reply("dm").getString("room");
        handle(ann, new ClientFrame.Archive("direct", direct));
        assertEquals("forbidden", ann.out().reply("direct").getString("code"));

        handle(bob, new ClientFrame.Send("s", "lobby", "still open", "c-1", null));
        assertEquals("receipt", bob.out().reply("s").getString("type"), "none of them archived it");
    }

    private void handle(TestChat.Client client, ClientFrame frame) {
        t.chat.handle(client.connection(), frame);
    }

    private static JsonObject lastMessage(TestChat.Client client) {
        List<JsonObject> messages = client.out().ofType("message");
        return messages.get(messages.size() - 1);
    }
}
