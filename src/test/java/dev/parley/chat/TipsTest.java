package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.delivery.Tip;
import dev.parley.protocol.ClientFrame;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tips: a gift to a member, a message of its own kind, sent once, added up per member. */
class TipsTest {

    private final TestChat t = new TestChat();
    private final TestChat.Client ann = t.member("ann", "stage");
    private final TestChat.Client bob = t.member("bob", "stage");

    @Test
    void aTipReachesTheRoomAsATipLineOnceAndAddsToTheMembersTotal() {
        handle(ann, new ClientFrame.Tip("t", "stage", "bob", 50, "tip-1"));
        assertEquals("receipt", ann.out().reply("t").getString("type"));
        JsonObject line = bob.out().ofType("message").get(0);
        assertEquals(List.of("tip", "ann", "bob", 50), List.of(line.getString("kind"), line.getString("from"),
                line.getString("tipTo"), line.getInt("amount")));

        handle(ann, new ClientFrame.Tip("again", "stage", "bob", 50, "tip-1"));
        assertEquals(1, bob.out().ofType("message").size(), "a repeated tip is given once");
        handle(ann, new ClientFrame.Tip("t2", "stage", "bob", Tip.MAX_AMOUNT, "tip-2"));
        handle(bob, new ClientFrame.Tip("t3", "stage", "ann", 1, "tip-3"));

        handle(ann, new ClientFrame.Members("m", "stage"));
        assertEquals(List.of("ann 1", "bob " + (50 + Tip.MAX_AMOUNT)), ann.out().reply("m").getJsonArray("items")
                .getValuesAs(JsonObject.class).stream().map(m -> m.getString("user") + " " + m.getInt("tips"))
                .toList());
    }

    @Test
    void aTipIsBoundedAndForAnotherMember() {
        handle(ann, new ClientFrame.Tip("zero", "stage", "bob", 0, "tip-1"));
        assertEquals("bad_request", ann.out().reply("zero").getString("code"));
        handle(ann, new ClientFrame.Tip("much", "stage", "bob", Tip.MAX_AMOUNT + 1, "tip-2"));
        assertEquals("bad_request", ann.out().reply("much").getString("code"));
        handle(ann, new ClientFrame.Tip("self", "stage", "ann", 5, "tip-3"));
        assertEquals("bad_request", ann.out().reply("self").getString("code"));
        handle(ann, new ClientFrame.Tip("stranger", "stage", "cy", 5, "tip-4"));
        assertEquals("not_found", ann.out().reply("stranger").getString("code"));
        handle(ann, new ClientFrame.Mute("m", "stage", "bob", 5));
        handle(bob, new ClientFrame.Tip("muted", "stage", "ann", 5, "tip-5"));
        assertEquals("muted", bob.out().reply("muted").getString("code"));
    }

    private void handle(TestChat.Client client, ClientFrame frame) {
        t.chat.handle(client.connection(), frame);
    }
}
