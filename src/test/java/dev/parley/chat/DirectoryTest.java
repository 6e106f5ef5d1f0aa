package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.protocol.ClientFrame;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rooms anybody may find and join, as a user asks for them: by name, a page at a time. */
class DirectoryTest {

    private final TestChat t = new TestChat();

    @Test
    void publicAndPasswordRoomsAreListedWithTheirMembersNeverInviteOnlyDirectOrArchivedOnes() {
        TestChat.Client ann = t.member("ann", "lobby");
        t.member("bob", "lobby");
        TestChat.Client olga = t.member("olga", "club");
        handle(olga, new ClientFrame.SetAccess("a", "club", "password", "a secret"));
        t.member("olga", "plans");
        handle(olga, new ClientFrame.SetAccess("i", "plans", "invite", null));
        handle(ann, new ClientFrame.Dm("d", "bob"));
        t.member("olga", "old-news");
        t.rooms.setArchived("old-news", true);

        TestChat.Client cy = t.hello("cy");
        handle(cy, new ClientFrame.Directory("r", null, null, null));
        JsonObject page = cy.out().last();
        assertEquals("directory", page.getString("type"));
        assertEquals("r", page.getString("ref"));
        assertEquals(List.of("club password 1", "lobby public 2"), listed(page));
        assertEquals(false, page.getBoolean("more"));
    }

    @Test
    void aPrefixMatchesInAnyCaseAndPagesFollowTheLastRoomShown() {
        for (String room : List.of("Chess", "chess-club", "cheese", "checkers", "go")) {
            t.member("olga", room);
        }
        TestChat.Client cy = t.hello("cy");

        handle(cy, new ClientFrame.Directory("p1", "CHE", null, 2));
        JsonObject first = cy.out().last();
        assertEquals(List.of("Chess public 1", "checkers public 1"), listed(first));
        assertEquals(true, first.getBoolean("more"));
        handle(cy, new ClientFrame.Directory("p2", "che", "checkers", 2));
        JsonObject second = cy.out().last();
        assertEquals(List.of("cheese public 1", "chess-club public 1"), listed(second));
        assertEquals(false, second.getBoolean("more"), "a page of exactly the rooms left is the last");
    }

    private void handle(TestChat.Client client, ClientFrame frame) {
        t.chat.handle(client.connection(), frame);
    }

    private static List<String> listed(JsonObject page) {
        return page.getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .map(r -> r.getString("room") + " " + r.getString("access") + " " + r.getJsonNumber("members"))
                .toList();
    }
}
