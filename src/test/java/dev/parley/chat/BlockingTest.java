package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.cluster.NodeEvent;
import dev.parley.protocol.ClientFrame;
import dev.parley.security.Blocks;
import dev.parley.security.UserNames;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a user who blocked another gets of them: nothing they say, their places in the order only. */
class BlockingTest {

    private final TestChat t = new TestChat();
    private final TestChat.Client ann = t.member("ann", "lobby");
    private final TestChat.Client eve = t.member("eve", "lobby");

    @Test
    void aBlockedUsersMessagesReachTheBlockerHiddenLiveInHistoryAndByReplay() {
        handle(ann, new ClientFrame.Block("b", "eve"));
        assertEquals("ok", ann.out().reply("b").getString("type"));

        send(eve, "something nasty", "e-1");
        JsonObject live = ann.out().ofType("message").get(0);
        assertEquals(List.of("hidden", "", 1), List.of(live.getString("kind"), live.getString("text"),
                live.getInt("seq")), "the seq stays, so the order has no gap; the words are gone");
        handle(eve, new ClientFrame.Typing(null, "lobby"));
        assertTrue(ann.out().ofType("typing").isEmpty(), "no typing from eve either");

        handle(ann, new ClientFrame.History("h", "lobby", null, null));
        assertEquals("hidden", ann.out().reply("h").getJsonArray("items").getJsonObject(0).getString("kind"));

        TestChat.Client phone = t.connect();
        t.chat.handle(phone.connection(), new ClientFrame.Hello("h", t.tokens.issue("ann", Set.of())
                .token(), Map.of()));
        assertEquals("hidden", phone.out().ofType("message").get(0).getString("kind"), "the replay hides it too");

        handle(ann, new ClientFrame.Unblock("u", "eve"));
        send(eve, "sorry", "e-2");
        assertEquals("sorry", lastMessage(ann).getString("text"), "unblocking restores new messages");
        handle(ann, new ClientFrame.Unblock("u2", "eve"));
        assertEquals("not_found", ann.out().reply("u2").getString("code"));
    }

    @Test
    void directMessagesFromABlockedUserAreRefused() {
        handle(eve, new ClientFrame.Dm("d", "ann"));
        String room = eve.out().reply("d").getString("room");
        handle(eve, new ClientFrame.Send("before", room, "before the block", "e-0", null));
        assertEquals("receipt", eve.out().reply("before").getString("type"));
        handle(ann, new ClientFrame.Block("b", "eve"));
        int annHad = ann.out().ofType("message").size();

        handle(eve, new ClientFrame.Send("s", room, "hello?", "e-1", null));
        assertEquals("forbidden", eve.out().reply("s").getString("code"));
        // A tip or an edit is a message of the conversation too: each would reach ann, hidden, as one more unread.
        handle(eve, new ClientFrame.Tip("t", room, "ann", 5, "e-tip"));
        assertEquals("forbidden", eve.out().reply("t").getString("code"));
        handle(eve, new ClientFrame.Edit("e", room, 1L, "edited after the block"));
        assertEquals("forbidden", eve.out().reply("e").getString("code"));
        assertEquals(annHad, ann.out().ofType("message").size(), "nothing more of eve reached ann");
        handle(eve, new ClientFrame.Dm("d2", "ann"));
        assertEquals("forbidden", eve.out().reply("d2").getString("code"));
        send(eve, "the room still works for eve", "e-2");
        assertEquals("receipt", eve.out().reply("s").getString("type"));
        handle(ann, new ClientFrame.Block("self", "ann"));
        assertEquals("bad_request", ann.out().reply("self").getString("code"));
    }

    /** An invitation adds its user to a room unasked: one they blocked invites them nowhere; another may. */
    @Test
    void aBlockedUserInvitesTheBlockerNowhere() {
        handle(eve, new ClientFrame.Join("j", "eves-den", null, null));
        TestChat.Client bob = t.member("bob", "eves-den");
        handle(eve, new ClientFrame.SetAccess("a", "eves-den", "invite", null));
        handle(eve, new ClientFrame.SetRole("r", "eves-den", "bob", "moderator"));
        handle(ann, new ClientFrame.Block("b", "eve"));

        handle(eve, new ClientFrame.Invite("i", "eves-den", "ann"));
        assertEquals(List.of("forbidden", "ann does not take invitations from you"),
                List.of(eve.out().reply("i").getString("code"), eve.out().reply("i").getString("message")));
        assertTrue(ann.out().ofType("joined").stream().noneMatch(j -> j.getString("room").equals("eves-den")));
        handle(bob, new ClientFrame.Invite("i", "eves-den", "ann"));
        assertEquals("ok", bob.out().reply("i").getString("type"), "bob is not blocked");
        assertEquals("eves-den", ann.out().ofType("joined").get(ann.out().ofType("joined").size() - 1)
                .getString("room"));
    }

    /** Every node holds every block and reads them all again on each change: a cap, and no change for nothing. */
    @Test
    void aUserBlocksAtMostAThousandOthersAndOnlyChangesAreTold() {
        List<NodeEvent> told = new ArrayList<>();
        t.bus.subscribeToNodeEvents(told::add);
        for (int i = 1; i < Blocks.MAX_PER_USER; i++) {
            handle(ann, new ClientFrame.Block("b" + i, "someone-" + i));
            t.clock.advance(Duration.ofMillis(50)); // under the 20 frames a second a connection may send
        }
        handle(ann, new ClientFrame.Block("edge", "eve"));
        assertEquals("ok", ann.out().reply("edge").getString("type"), "the thousandth");
        assertEquals(Blocks.MAX_PER_USER, told.size(), "each block is told to the other nodes");

        handle(ann, new ClientFrame.Block("again", "eve"));
        assertEquals("ok", ann.out().reply("again").getString("type"), "a block there already stands");
        handle(ann, new ClientFrame.Unblock("none", "nobody-blocked"));
        assertEquals("not_found", ann.out().reply("none").getString("code"));
        assertEquals(Blocks.MAX_PER_USER, told.size(), "nothing changed: no node is told to read them again");

        handle(ann, new ClientFrame.Block("past", "one-more"));
        JsonObject refused = ann.out().reply("past");
        assertEquals("forbidden", refused.getString("code"));
        assertEquals("you block " + Blocks.MAX_PER_USER + " users, as many as one may: unblock one first",
                refused.getString("message"));
        assertEquals(Blocks.MAX_PER_USER, told.size());
        handle(eve, new ClientFrame.Block("other", "one-more"));
        assertEquals("ok", eve.out().reply("other").getString("type"), "the cap is each user's");

        handle(ann, new ClientFrame.Unblock("u", "someone-1"));
        handle(ann, new ClientFrame.Block("room", "one-more"));
        assertEquals("ok", ann.out().reply("room").getString("type"), "an unblock makes room for one more");
        send(eve, "eve is still hidden from ann", "e-1");
        assertEquals("hidden", lastMessage(ann).getString("kind"));
    }

    /** Notices and moderation lines come from system: blocked, they would arrive as empty placeholders. */
    @Test
    void theServersOwnNamesCannotBeBlocked() {
        for (String name : UserNames.RESERVED) {
            handle(ann, new ClientFrame.Block("b-" + name, name));
            JsonObject refused = ann.out().reply("b-" + name);
            assertEquals("bad_request", refused.getString("code"), name);
            assertEquals(name + " is the server, not a user one can block", refused.getString("message"));
        }
        handle(ann, new ClientFrame.Block("b-System", "System"));
        assertEquals("bad_request", ann.out().reply("b-System").getString("code"), "in any case");
        handle(ann, new ClientFrame.Unblock("u", UserNames.SYSTEM));
        assertEquals("not_found", ann.out().reply("u").getString("code"), "an unblock is answered as any");
        handle(ann, new ClientFrame.Mute("m", "lobby", "eve", 5));
        assertEquals("ok", ann.out().reply("m").getString("type"));
        JsonObject line = lastMessage(ann);
        assertEquals("system", line.getString("kind"), "the moderation line reaches ann whole");
        assertFalse(line.getString("text").isEmpty());
    }

    /** A deletion says nothing of its deleter's: hidden, it would leave the deleted words on the reader's screen. */
    @Test
    void aDeletionByABlockedModeratorStillTakesTheWordsAway() {
        TestChat.Client bob = t.member("bob", "lobby");
        handle(eve, new ClientFrame.Block("b", "ann"));
        send(bob, "something rude", "b-1");
        handle(ann, new ClientFrame.Delete("d", "lobby", 1L));
        assertEquals("ok", ann.out().reply("d").getString("type"));

        JsonObject live = lastMessage(eve);
        assertEquals(List.of("deleted", 1), List.of(live.getString("kind"), live.getInt("target")), "live");
        TestChat.Client phone = t.connect();
        t.chat.handle(phone.connection(), new ClientFrame.Hello("h", t.tokens.issue("eve", Set.of()).token(),
                Map.of()));
        JsonObject replayed = lastMessage(phone);
        assertEquals(List.of("deleted", 1), List.of(replayed.getString("kind"), replayed.getInt("target")),
                "by replay");
        send(ann, "what ann says is still hidden from eve", "a-1");
        assertEquals("hidden", lastMessage(eve).getString("kind"));
    }

    private void send(TestChat.Client client, String text, String clientMsgId) {
        handle(client, new ClientFrame.Send("s", "lobby", text, clientMsgId, null));
    }

    private void handle(TestChat.Client client, ClientFrame frame) {
        t.chat.handle(client.connection(), frame);
    }

    private static JsonObject lastMessage(TestChat.Client client) {
        List<JsonObject> messages = client.out().ofType("message");
        return messages.get(messages.size() - 1);
    }
}
