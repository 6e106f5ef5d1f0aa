package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code welcome} tells a member who was away: where they read up to, and how many lines wait. */
class WelcomeUnreadTest {

    private final TestChat t = new TestChat();
    private final TestChat.Client ann = t.member("ann", "lobby");
    private final TestChat.Client bob = t.member("bob", "lobby");
    private final TestChat.Client cy = t.member("cy", "lobby");

    @Test
    void unreadCountsTheLinesOthersWroteAfterTheReadMarker() {
        say(ann, "first");
        handle(bob, new ClientFrame.Ack(null, "lobby", 1L, null));
        handle(bob, new ClientFrame.Block("b", "cy"));
        t.chat.closed(bob.connection(), 1000);

        say(ann, "are you there?"); // 2: a line
        handle(ann, new ClientFrame.React("r", "lobby", 1L, "👍")); // 3: an event
        handle(ann, new ClientFrame.Edit("e", "lobby", 2L, "are you there, bob?")); // 4: an event
        say(ann, "oops"); // 5: deleted below, so no line to read
        handle(ann, new ClientFrame.Delete("d", "lobby", 5L)); // 6: an event
        handle(ann, new ClientFrame.Topic("t", "lobby", "Plans")); // 7: a line of the room
        say(cy, "buy now"); // 8: cy's, whom bob blocked
        TestChat.Client phone = t.hello("bob");
        say(phone, "from my phone"); // 9: bob's own
        handle(phone, new ClientFrame.React("own", "lobby", 2L, "🎉")); // 10: bob's own event
        t.chat.closed(phone.connection(), 1000);

        JsonObject lobby = t.hello("bob").out().ofType("welcome").get(0).getJsonArray("rooms").getJsonObject(0);
        assertEquals(List.of(10, 1, 2), List.of(lobby.getInt("seq"), lobby.getInt("read"), lobby.getInt("unread")),
                "ann's question and the topic; not the reactions, the edit, the deleted text, cy's, nor bob's own");
    }

    @Test
    void nothingUnreadWhenOnlyEventsCame() {
        say(ann, "first");
        handle(bob, new ClientFrame.Ack(null, "lobby", 1L, null));
        t.chat.closed(bob.connection(), 1000);
        handle(ann, new ClientFrame.React("r", "lobby", 1L, "👍"));
        handle(cy, new ClientFrame.React("r", "lobby", 1L, "👀"));

        JsonObject lobby = t.hello("bob").out().ofType("welcome").get(0).getJsonArray("rooms").getJsonObject(0);
        assertEquals(List.of(3, 1, 0, 0), List.of(lobby.getInt("seq"), lobby.getInt("read"), lobby.getInt("unread"),
                lobby.getInt("mentions")));
    }

    @Test
    void mentionsCountOnlyUnreadLinesOfOthersTheReaderHasNotBlocked() {
        say(ann, "@bob first");
        handle(bob, new ClientFrame.Ack(null, "lobby", 1L, null));
        handle(bob, new ClientFrame.Block("b", "cy"));
        t.chat.closed(bob.connection(), 1000);

        say(ann, "@bob lunch?");
        say(cy, "@bob buy now");
        TestChat.Client phone = t.hello("bob");
        say(phone, "note to self, @bob: call ann");
        t.chat.closed(phone.connection(), 1000);

        JsonObject lobby = t.hello("bob").out().ofType("welcome").get(0).getJsonArray("rooms").getJsonObject(0);
        assertEquals(List.of(1, 1), List.of(lobby.getInt("unread"), lobby.getInt("mentions")),
                "ann's question; not the line read already, cy's (blocked) nor bob's own");
    }

    /** A client showing another room acks what it holds there without the person having read it. */
    @Test
    void linesAckedButNotReadStayUnreadAndAreNotReplayed() {
        say(ann, "first");
        say(ann, "@bob lunch?");
        say(ann, "at noon");
        handle(bob, new ClientFrame.Ack(null, "lobby", 3L, 1L));
        t.chat.closed(bob.connection(), 1000);

        TestChat.Client laptop = t.hello("bob");
        JsonObject lobby = laptop.out().ofType("welcome").get(0).getJsonArray("rooms").getJsonObject(0);
        assertEquals(List.of(1, 2, 1), List.of(lobby.getInt("read"), lobby.getInt("unread"), lobby.getInt("mentions")),
                "the question and the time are still to be read");
        assertEquals(List.of(), laptop.out().ofType("message"), "what the user's devices had is not sent again");

        handle(laptop, new ClientFrame.Ack(null, "lobby", 3L, null)); // read now: the contract's ack
        t.chat.closed(laptop.connection(), 1000);
        lobby = t.hello("bob").out().ofType("welcome").get(0).getJsonArray("rooms").getJsonObject(0);
        assertEquals(List.of(3, 0), List.of(lobby.getInt("read"), lobby.getInt("unread")));
    }

    /**
     * Only the newest {@value MessageStore#UNREAD_SCANNED} seqs are read to tell lines from events: every seq
     * before those counts as one.
     */
    @Test
    void aBacklogPastTheScanCountsItsOlderSeqsAsTheyAre() {
        t.chat.closed(bob.connection(), 1000);
        say(ann, "first");
        handle(ann, new ClientFrame.React("r", "lobby", 1L, "👍")); // 2: an event, older than the scan
        for (int i = 1; i <= MessageStore.UNREAD_SCANNED; i++) {
            String kind = i == 1 ? StoredMessage.REACTED : StoredMessage.TEXT; // 3: an event, the scan's oldest
            t.messages.append(new MessageStore.NewMessage("lobby", "ann", "busy " + i, kind, "b-" + i, null));
        }

        JsonObject lobby = t.hello("bob").out().ofType("welcome").get(0).getJsonArray("rooms").getJsonObject(0);
        assertEquals(2 + MessageStore.UNREAD_SCANNED, lobby.getInt("seq"));
        assertEquals(2 + MessageStore.UNREAD_SCANNED - 1, lobby.getInt("unread"), "the two older seqs count");
    }

    /** Sent as a client sends it, and so delivered live. */
    private void say(TestChat.Client client, String text) {
        handle(client, new ClientFrame.Send("s", "lobby", text, text, null));
        assertEquals("receipt", client.out().reply("s").getString("type"), text);
    }

    private void handle(TestChat.Client client, ClientFrame frame) {
        t.chat.handle(client.connection(), frame);
    }
}
