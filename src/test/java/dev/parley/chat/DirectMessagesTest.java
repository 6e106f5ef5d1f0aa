package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ClientFrame;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Direct conversations: a room of two, found again by either, closed to everybody else. */
class DirectMessagesTest {

    private final TestChat t = new TestChat();
    private final TestChat.Client ann = t.hello("ann");
    private final TestChat.Client bob = t.hello("bob");

    @Test
    void aDirectMessageReachesTheOtherPersonLiveAndTheRoomIsTheirsAlone() {
        handle(ann, new ClientFrame.Dm("d", "bob"));
        JsonObject joined = ann.out().reply("d");
        assertEquals("joined", joined.getString("type"));
        assertEquals("bob", joined.getString("with"));
        String room = joined.getString("room");

        JsonObject told = bob.out().ofType("joined").get(0);
        assertEquals(room, told.getString("room"), "bob's open connection learns of it at once");
        assertEquals("ann", told.getString("with"));
        handle(ann, new ClientFrame.Send("s", room, "psst", "c-1", null));
        assertEquals("psst", bob.out().ofType("message").get(0).getString("text"));

        TestChat.Client cy = t.hello("cy");
        handle(cy, new ClientFrame.Join("j", room, null, null));
        assertEquals("forbidden", cy.out().reply("j").getString("code"), "nobody else joins");
        handle(ann, new ClientFrame.Invite("i", room, "cy"));
        assertEquals("forbidden", ann.out().reply("i").getString("code"), "nobody invites anybody into it");

        handle(bob, new ClientFrame.Dm("again", "ann"));
        assertEquals(room, bob.out().reply("again").getString("room"), "the same room whoever asks");
    }

    @Test
    void somebodyAwayFindsTheConversationInWelcomeAndALeaverIsBroughtBack() {
        t.chat.closed(bob.connection(), 1000);
        handle(ann, new ClientFrame.Dm("d", "bob"));
        String room = ann.out().reply("d").getString("room");
        handle(ann, new ClientFrame.Send("s", room, "when you are back", "c-1", null));

        TestChat.Client back = t.hello("bob");
        JsonObject state = back.out().ofType("welcome").get(0).getJsonArray("rooms").getJsonObject(0);
        assertEquals(List.of(room, "ann", 1), List.of(state.getString("room"), state.getString("with"),
                state.getInt("unread")));

        handle(back, new ClientFrame.Leave("l", room));
        handle(ann, new ClientFrame.Dm("d2", "bob"));
        assertTrue(back.out().ofType("joined").stream().anyMatch(j -> j.getString("room").equals(room)),
                "a new direct message brings the one who left back");
    }

    @Test
    void aDirectConversationIsWithSomebodyElse() {
        handle(ann, new ClientFrame.Dm("self", "ann"));
        assertEquals("bad_request", ann.out().reply("self").getString("code"));
        handle(ann, new ClientFrame.Dm("sys", "system"));
        assertEquals("bad_request", ann.out().reply("sys").getString("code"));
        handle(ann, new ClientFrame.Dm("bad", "<b>"));
        assertEquals("bad_request", ann.out().reply("bad").getString("code"));
    }

    /** A conversation's room is not joined by name: the same refusal whether it exists, and it stays theirs. */
    @Test
    void aThirdUserCannotJoinNorTakeAConversationsRoomByItsName() {
        TestChat.Client eve = t.hello("eve");
        handle(ann, new ClientFrame.Dm("d", "bob"));
        handle(eve, new ClientFrame.Join("existing", DirectRooms.name("ann", "bob"), null, null));
        handle(eve, new ClientFrame.Join("missing", DirectRooms.name("ann", "carl"), null, null));
        assertEquals("forbidden", eve.out().reply("existing").getString("code"));
        assertEquals(eve.out().reply("existing").getString("message"), eve.out().reply("missing").getString("message"));

        handle(ann, new ClientFrame.Join("open", DirectRooms.name("ann", "bob"), null, null));
        assertEquals("joined", ann.out().reply("open").getString("type"), "one of the two opens it as any room");
        handle(ann, new ClientFrame.Dm("d2", "carl"));
        assertEquals("joined", ann.out().reply("d2").getString("type"), "not taken by eve's join");
        handle(ann, new ClientFrame.Join("own", "dm-lounge", null, null));
        assertEquals("joined", ann.out().reply("own").getString("type"), "a name people pick is still theirs");
    }

    /** The longest user name is a guest's: {@code guest-} and a nickname of 32. One longer is nobody's. */
    @Test
    void aDirectConversationReachesTheLongestNameAndNoLonger() {
        String longest = "guest-" + "n".repeat(32);
        TestChat.Client guest = t.hello(longest);
        handle(ann, new ClientFrame.Dm("d", longest));
        String room = ann.out().reply("d").getString("room");
        handle(ann, new ClientFrame.Send("s", room, "hi", "c-1", null));
        assertEquals("hi", guest.out().ofType("message").get(0).getString("text"));

        handle(ann, new ClientFrame.Dm("past", longest + "n"));
        assertEquals("bad_request", ann.out().reply("past").getString("code"));
    }

    private void handle(TestChat.Client client, ClientFrame frame) {
        t.chat.handle(client.connection(), frame);
    }
}
