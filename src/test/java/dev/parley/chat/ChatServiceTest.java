package dev.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.Limits;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.CloseCodes;
import dev.parley.room.ChatStats;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChatServiceTest {

    private final TestChat t = new TestChat();

    @Test
    void helloWithAValidTokenIsWelcomedWithTheUsersRooms() {
        t.member("ann", "lobby");
        TestChat.Client second = t.hello("ann");
        JsonObject welcome = second.out().ofType("welcome").get(0);
        assertEquals("ann", welcome.getString("user"));
        assertEquals(second.connection().id(), welcome.getString("session"));
        assertEquals(25, welcome.getInt("heartbeat"));
        assertEquals("lobby", welcome.getJsonArray("rooms").getJsonObject(0).getString("room"));
        assertTrue(second.connection().receives("lobby"), "rooms are received without joining again");
    }

    @Test
    void aBadTokenClosesWith4501() {
        TestChat.Client client = t.connect();
        t.chat.handle(client.connection(), new ClientFrame.Hello("h", "forged", Map.of()));
        assertEquals(CloseCodes.BAD_TOKEN, client.out().closeCode);
        assertTrue(client.out().frames.isEmpty());
    }

    /** Signed in and never welcomed, the connection would refuse the client's hello again: it is closed. */
    @Test
    void aHelloTheServerFailsToAnswerClosesWith1011ForTheClientToConnectAgain() {
        t.rooms.afterNextRoomsRead = () -> {
            throw new IllegalStateException("the database is away");
        };
        TestChat.Client client = t.hello("ann");
        assertEquals("internal", client.out().last().getString("code"));
        assertEquals(CloseCodes.SERVER_ERROR, client.out().closeCode);
        assertTrue(t.live.connectionsOf("ann").isEmpty(), "not signed in any more");

        TestChat.Client again = t.hello("ann");
        assertEquals("welcome", again.out().json().get(0).getString("type"));
    }

    /** The token's generation could not be read: closed at once with 1011, not left for the hello timeout. */
    @Test
    void aHelloWhoseTokenCannotBeCheckedClosesWith1011() {
        t.accountsAway = new IllegalStateException("the database is away");
        TestChat.Client client = t.hello("ann");
        assertEquals("internal", client.out().last().getString("code"));
        assertEquals(CloseCodes.SERVER_ERROR, client.out().closeCode);
        t.accountsAway = null;
        assertEquals("welcome", t.hello("ann").out().json().get(0).getString("type"));
    }

    @Test
    void anyFrameBeforeHelloClosesWith4401() {
        TestChat.Client client = t.connect();
        t.chat.handle(client.connection(), new ClientFrame.Ping("p", null));
        assertEquals(CloseCodes.NO_HELLO, client.out().closeCode);
    }

    @Test
    void joinCreatesTheRoomWithTheCallerAsOwner() {
        TestChat.Client ann = t.member("ann", "lobby");
        JsonObject joined = ann.out().ofType("joined").get(0);
        assertEquals("owner", joined.getString("role"));
        assertEquals(0, joined.getInt("seq"));
        assertEquals(List.of("ann"), joined.getJsonArray("online").getValuesAs(jakarta.json.JsonString.class)
                .stream().map(jakarta.json.JsonString::getString).toList());

        TestChat.Client bob = t.member("bob", "lobby");
        assertEquals("member", bob.out().ofType("joined").get(0).getString("role"));
        JsonObject presence = ann.out().ofType("presence").stream()
                .filter(p -> p.getString("user").equals("bob")).findFirst().orElseThrow();
        assertTrue(presence.getBoolean("online"));
        assertEquals(2, presence.getInt("count"));
    }

    @Test
    void badRoomNamesAreRefused() {
        TestChat.Client ann = t.hello("ann");
        for (String name : List.of("", "a b", "x".repeat(65), "<script>", "room/../x")) {
            t.chat.handle(ann.connection(), new ClientFrame.Join("bad", name.isEmpty() ? "?" : name, null, null));
            assertEquals("bad_request", ann.out().last().getString("code"), name);
        }
        t.chat.handle(ann.connection(), new ClientFrame.Join("ok", "x".repeat(64), null, null));
        assertEquals("ok", ann.out().ofType("joined").get(0).getString("ref"), "64 characters is the edge");
    }

    /** A page open on another device lists the rooms joined and left on this one; the asker is answered once. */
    @Test
    void theUsersOtherConnectionsAreToldOfRoomsJoinedAndLeft() {
        TestChat.Client phone = t.hello("ann");
        TestChat.Client laptop = t.hello("ann");
        t.chat.handle(phone.connection(), new ClientFrame.Join("j", "lobby", null, null));
        assertEquals(List.of("j"), phone.out().ofType("joined").stream().map(j -> j.getString("ref")).toList());
        JsonObject told = laptop.out().ofType("joined").get(0);
        assertFalse(told.containsKey("ref"));
        assertEquals("lobby", told.getString("room"));
        assertEquals("owner", told.getString("role"));

        t.chat.handle(phone.connection(), new ClientFrame.Join("again", "lobby", null, null));
        assertEquals(1, laptop.out().ofType("joined").size(), "joining a room of hers again changes nothing");

        t.chat.handle(phone.connection(), new ClientFrame.Leave("l", "lobby"));
        assertEquals(List.of("l"), phone.out().ofType("left").stream().map(l -> l.getString("ref")).toList());
        JsonObject left = laptop.out().last();
        assertEquals("left", left.getString("type"));
        assertEquals("lobby", left.getString("room"));
        assertFalse(left.containsKey("ref") || left.containsKey("reason"), left.toString());

        t.hello("bob");
        t.chat.handle(phone.connection(), new ClientFrame.Dm("d", "bob"));
        assertEquals(1, phone.out().ofType("joined").stream().filter(j -> j.containsKey("with")).count());
        List<JsonObject> joined = laptop.out().ofType("joined");
        assertEquals(2, joined.size());
        assertEquals("bob", joined.get(1).getString("with"));
        assertFalse(joined.get(1).containsKey("ref"));
    }

    /** A malformed room name is a bad request on every frame, not a room one is out of. */
    @Test
    void aMalformedRoomNameIsABadRequestWhereverItComes() {
        TestChat.Client ann = t.member("ann", "lobby");
        t.chat.handle(ann.connection(), new ClientFrame.Send("s", "no such room!", "hi", "c1", null));
        assertEquals("bad_request", ann.out().last().getString("code"));
        t.chat.handle(ann.connection(), new ClientFrame.Kick("k", "no such room!", "bob"));
        assertEquals("bad_request", ann.out().last().getString("code"));
        t.chat.handle(ann.connection(), new ClientFrame.Send("s", "elsewhere", "hi", "c2", null));
        assertEquals("not_member", ann.out().last().getString("code"), "a well-formed name of another room");
    }

    @Test
    void theDotNamesAreReservedAndOtherDottedNamesAreNot() {
        TestChat.Client ann = t.hello("ann");
        for (String name : List.of(".", "..")) {
            t.chat.handle(ann.connection(), new ClientFrame.Join("dots", name, null, null));
            assertEquals("bad_request", ann.out().last().getString("code"), name);
        }
        for (String name : List.of("...", ".a", "a..")) {
            t.chat.handle(ann.connection(), new ClientFrame.Join(name, name, null, null));
        }
        assertEquals(List.of("...", ".a", "a.."), ann.out().ofType("joined").stream().map(j -> j.getString("room"))
                .toList());
    }

    @Test
    void seqsAreAssignedPerRoomInOrder() {
        TestChat.Client ann = t.member("ann", "a");
        t.chat.handle(ann.connection(), new ClientFrame.Join("j", "b", null, null));
        send(ann, "a", "a1");
        send(ann, "b", "b1");
        send(ann, "a", "a2");
        List<String> receipts = ann.out().ofType("receipt").stream()
                .map(r -> r.getString("room") + ":" + r.getJsonNumber("seq").longValue()).toList();
        assertEquals(List.of("a:1", "b:1", "a:2"), receipts);
    }

    @Test
    void aConnectionsFirstSendsAreStoredAsMaybeResentAndLaterOnesNot() {
        TestChat.Client ann = t.member("ann", "lobby");
        for (int i = 0; i <= MessagePosting.FIRST_SENDS_LOOKED_UP; i++) {
            send(ann, "lobby", "c" + i);
        }

        List<String> maybeResent = t.messages.asked().stream()
                .filter(message -> message.clientMsgId() != null) // not the room's notices
                .map(message -> message.clientMsgId() + " " + message.maybeResent()).toList();
        int last = MessagePosting.FIRST_SENDS_LOOKED_UP;
        assertEquals(List.of("c0 true", "c" + (last - 1) + " true", "c" + last + " false"),
                List.of(maybeResent.get(0), maybeResent.get(last - 1), maybeResent.get(last)));
        assertEquals(last + 1, maybeResent.size());
    }

    @Test
    void theSenderGetsTheReceiptBeforeTheMessageAndOthersGetTheMessageWithoutClientId() {
        TestChat.Client ann = t.member("ann", "lobby");
        TestChat.Client bob = t.member("bob", "lobby");
        ann.out().clear();
        send(ann, "lobby", "c1");
        List<JsonObject> annFrames = ann.out().json();
        assertEquals("receipt", annFrames.get(0).getString("type"));
        assertEquals("message", annFrames.get(1).getString("type"));
        assertEquals("c1", annFrames.get(1).getString("clientMsgId"));
        JsonObject bobs = bob.out().ofType("message").get(0);
        assertEquals(1, bobs.getInt("seq"));
        assertFalse(bobs.containsKey("clientMsgId"));
    }

    @Test
    void aRepeatedClientMsgIdReturnsTheOriginalReceiptAndStoresNothing() {
        TestChat.Client ann = t.member("ann", "lobby");
        TestChat.Client bob = t.member("bob", "lobby");
        send(ann, "lobby", "same");
        send(ann, "lobby", "same");
        List<JsonObject> receipts = ann.out().ofType("receipt");
        assertEquals(receipts.get(0).getString("id"), receipts.get(1).getString("id"));
        assertEquals(1, bob.out().ofType("message").size());
        assertEquals(1, t.messages.after("lobby", 0, 10).size());

        t.chat.handle(ann.connection(), new ClientFrame.Join("j", "other", null, null));
        send(ann, "other", "same");
        assertEquals("conflict", ann.out().last().getString("code"), "one client id cannot name two messages");
    }

    /**
     * A send stored whose receipt was lost, sent again after a mute, a leave or a lower text limit came: the
     * original receipt, as for any repeat, not the refusal (the page would take off what everybody else has).
     */
    @Test
    void aResendOfAStoredMessageGetsItsReceiptWhateverCameSince() {
        TestChat.Client bob = t.member("bob", "lobby");
        TestChat.Client ann = t.member("ann", "lobby");
        t.chat.handle(ann.connection(), new ClientFrame.Send("s", "lobby", "said", "m-1", null));
        t.chat.handle(ann.connection(), new ClientFrame.Tip("t", "lobby", "bob", 5, "t-1"));
        t.chat.handle(bob.connection(), new ClientFrame.Mute("m", "lobby", "ann", null));
        assertEquals("ok", bob.out().reply("m").getString("type"));
        for (ClientFrame frame : List.of(new ClientFrame.Send("again", "lobby", "said", "m-1", null),
                new ClientFrame.Tip("again", "lobby", "bob", 5, "t-1"))) {
            t.chat.handle(ann.connection(), frame);
            JsonObject receipt = ann.out().reply("again");
            assertEquals("receipt", receipt.getString("type"), receipt.toString());
        }
        t.chat.handle(ann.connection(), new ClientFrame.Send("new", "lobby", "more", "m-2", null));
        assertEquals("muted", ann.out().reply("new").getString("code"), "a new one is refused");

        TestChat.Client carol = t.member("carol", "lobby");
        t.chat.handle(carol.connection(), new ClientFrame.Send("s", "lobby", "bye", "c-1", null));
        long seq = carol.out().reply("s").getJsonNumber("seq").longValue();
        t.chat.handle(carol.connection(), new ClientFrame.Leave("l", "lobby"));
        t.chat.handle(carol.connection(), new ClientFrame.Send("again", "lobby", "bye", "c-1", null));
        assertEquals(seq, carol.out().reply("again").getJsonNumber("seq").longValue(), "after a leave too");
        t.chat.handle(carol.connection(), new ClientFrame.Send("other", "side", "bye", "c-1", null));
        assertEquals("not_member", carol.out().reply("other").getString("code"), "not another room's");
    }

    /**
     * A message stored whose live event never went out (its commit was reported failed though done, or its node
     * stopped between the two) reaches the room when its sender sends it again, as a client does without receipt.
     */
    @Test
    void aMessageStoredButNeverPublishedReachesTheRoomWhenItsSenderSendsItAgain() {
        TestChat.Client ann = t.member("ann", "lobby");
        TestChat.Client bob = t.member("bob", "lobby");
        t.messages.append(new MessageStore.NewMessage("lobby", "ann", "lost on the way", StoredMessage.TEXT, "m-1",
                null));
        t.chat.handle(ann.connection(), new ClientFrame.Send("again", "lobby", "lost on the way", "m-1", null));
        assertEquals(1, ann.out().reply("again").getInt("seq"));
        assertEquals(List.of("lost on the way"), bob.out().ofType("message").stream().map(m -> m.getString("text"))
                .toList());
        assertEquals(1, ann.out().ofType("message").size(), "the sender's own connection too");
    }

    @Test
    void replyToMustBeAnEarlierSeqOfTheRoom() {
        TestChat.Client ann = t.member("ann", "lobby");
        send(ann, "lobby", "first");
        t.chat.handle(ann.connection(), new ClientFrame.Send("r", "lobby", "re", "second", 1L));
        JsonObject reply = ann.out().ofType("message").get(1);
        assertEquals(2, reply.getInt("seq"));
        assertEquals(1, reply.getInt("replyTo"));
        t.chat.handle(ann.connection(), new ClientFrame.Send("r", "lobby", "re", "third", 5L));
        assertEquals("bad_request", ann.out().last().getString("code"));
    }

    @Test
    void textIsLimitedTo4000Characters() {
        TestChat.Client ann = t.member("ann", "lobby");
        // Code points, not UTF-16 units: 4,000 emoji are 4,000 characters.
        t.chat.handle(ann.connection(), new ClientFrame.Send("at", "lobby", "😀".repeat(4000), "at", null));
        assertEquals("at", ann.out().ofType("receipt").get(0).getString("ref"));
        t.chat.handle(ann.connection(), new ClientFrame.Send("past", "lobby", "x".repeat(4001), "past", null));
        assertEquals("too_large", ann.out().last().getString("code"));
        assertEquals("past", ann.out().last().getString("ref"));
        t.chat.handle(ann.connection(), new ClientFrame.Send("blank", "lobby", "  ", "blank", null));
        assertEquals("bad_request", ann.out().last().getString("code"));
    }

    @Test
    void textHoldsNoControlCharactersButTabsAndLineBreaks() {
        TestChat.Client ann = t.member("ann", "lobby");
        t.chat.handle(ann.connection(), new ClientFrame.Send("lines", "lobby", "a\tb\r\nc\nd", "lines", null));
        assertEquals("lines", ann.out().ofType("receipt").get(0).getString("ref"));
        for (String control : List.of("\u0001", "\u001b[31m", "\u007f", "\u0085", "\u009f")) {
            t.chat.handle(ann.connection(), new ClientFrame.Send("c", "lobby", "hi" + control, "c", null));
            JsonObject refused = ann.out().last();
            assertEquals("bad_request", refused.getString("code"), control);
            assertEquals("text must not hold control characters other than tab and line breaks",
                    refused.getString("message"));
        }
        t.chat.handle(ann.connection(), new ClientFrame.Edit("e", "lobby", 1L, "fixed\u0001"));
        assertEquals("bad_request", ann.out().last().getString("code"), "an edit's text too");
    }

    @Test
    void roomFramesNeedMembership() {
        t.member("ann", "lobby");
        TestChat.Client eve = t.hello("eve");
        List<ClientFrame> attempts = List.of(
                new ClientFrame.Send("1", "lobby", "hi", "e1", null),
                new ClientFrame.History("2", "lobby", null, null),
                new ClientFrame.Sync("3", "lobby", 0L, null),
                new ClientFrame.Typing("4", "lobby"),
                new ClientFrame.Ack("5", "lobby", 1L, null),
                new ClientFrame.Leave("6", "lobby"));
        for (ClientFrame attempt : attempts) {
            t.chat.handle(eve.connection(), attempt);
            assertEquals("not_member", eve.out().last().getString("code"), attempt.toString());
            assertEquals(attempt.ref(), eve.out().last().getString("ref"));
        }
    }

    @Test
    void historyAndSyncPageInSeqOrder() {
        TestChat.Client ann = t.member("ann", "lobby");
        IntStream.rangeClosed(1, 7).forEach(i -> send(ann, "lobby", "m" + i));
        t.chat.handle(ann.connection(), new ClientFrame.History("h", "lobby", null, 3));
        JsonObject newest = ann.out().last();
        assertEquals(List.of(5, 6, 7), seqs(newest));
        assertTrue(newest.getBoolean("more"));
        t.chat.handle(ann.connection(), new ClientFrame.History("h", "lobby", 5L, 10));
        assertEquals(List.of(1, 2, 3, 4), seqs(ann.out().last()));
        assertFalse(ann.out().last().getBoolean("more"));

        t.chat.handle(ann.connection(), new ClientFrame.Sync("s", "lobby", 2L, 4));
        assertEquals(List.of(3, 4, 5, 6), seqs(ann.out().last()));
        assertTrue(ann.out().last().getBoolean("more"));
        t.chat.handle(ann.connection(), new ClientFrame.Sync("s", "lobby", 6L, 4));
        assertEquals(List.of(7), seqs(ann.out().last()));
        assertFalse(ann.out().last().getBoolean("more"));
    }

    @Test
    void pagesAreCappedAt500() {
        TestChat.Client ann = t.member("ann", "lobby");
        IntStream.rangeClosed(1, 501).forEach(i -> send(ann, "lobby", "m" + i));
        t.chat.handle(ann.connection(), new ClientFrame.Sync("s", "lobby", 0L, 10_000));
        assertEquals(500, ann.out().last().getJsonArray("items").size());
        assertTrue(ann.out().last().getBoolean("more"));
        t.chat.handle(ann.connection(), new ClientFrame.Sync("s", "lobby", 0L, null));
        assertEquals(100, ann.out().last().getJsonArray("items").size(), "the default page");
        t.chat.handle(ann.connection(), new ClientFrame.Sync("s", "lobby", 0L, 500));
        assertEquals(500, ann.out().last().getJsonArray("items").size());

        t.chat.handle(ann.connection(), new ClientFrame.History("h", "lobby", null, 501));
        JsonObject history = ann.out().last();
        assertEquals(500, history.getJsonArray("items").size(), "history too");
        assertEquals(2, history.getJsonArray("items").getJsonObject(0).getInt("seq"), "the newest 500");
        t.chat.handle(ann.connection(), new ClientFrame.History("h", "lobby", null, 1));
        assertEquals(501, ann.out().last().getJsonArray("items").getJsonObject(0).getInt("seq"));
        assertEquals(1, ann.out().last().getJsonArray("items").size());
    }

    @Test
    void acksMoveTheReadMarkerUpOnly() {
        TestChat.Client ann = t.member("ann", "lobby");
        IntStream.rangeClosed(1, 5).forEach(i -> send(ann, "lobby", "m" + i));
        t.chat.handle(ann.connection(), new ClientFrame.Ack(null, "lobby", 4L, null));
        t.chat.handle(ann.connection(), new ClientFrame.Ack(null, "lobby", 2L, null));
        assertEquals(5, t.rooms.roomsOf("ann").get(0).behind(), "written behind, not per ack");
        t.markers.flush(); // what the sweep's turns do within five seconds
        assertEquals(1, t.rooms.roomsOf("ann").get(0).behind());
    }

    @Test
    void anotherDeviceSignsInWithTheLatestAckWithoutWaitingForTheSweep() {
        TestChat.Client ann = t.member("ann", "lobby");
        IntStream.rangeClosed(1, 5).forEach(i -> send(ann, "lobby", "m" + i));
        t.chat.handle(ann.connection(), new ClientFrame.Ack(null, "lobby", 5L, null));
        TestChat.Client phone = t.hello("ann");
        assertEquals(5, phone.out().ofType("welcome").get(0).getJsonArray("rooms").getJsonObject(0).getInt("read"));
        assertTrue(phone.out().ofType("message").isEmpty(), "nothing to replay from the marker");
    }

    @Test
    void theUsersOtherConnectionsAreToldWhatWasReadOnceWritten() {
        TestChat.Client laptop = t.member("ann", "lobby");
        TestChat.Client phone = t.hello("ann");
        TestChat.Client bob = t.member("bob", "lobby");
        IntStream.rangeClosed(1, 3).forEach(i -> send(bob, "lobby", "m" + i));
        t.chat.handle(phone.connection(), new ClientFrame.Ack(null, "lobby", 3L, null));
        t.chat.handle(bob.connection(), new ClientFrame.Ack(null, "lobby", 3L, null));
        assertEquals(List.of(), laptop.out().ofType("read"), "written behind, told once written");

        t.markers.flush();
        assertEquals(List.of("lobby 3"), laptop.out().ofType("read").stream()
                .map(read -> read.getString("room") + " " + read.getInt("seq")).toList());
        assertEquals(List.of(), phone.out().ofType("read"), "the phone read it: nothing to tell it");

        t.chat.handle(phone.connection(), new ClientFrame.Ack(null, "lobby", 3L, null));
        t.markers.flush();
        assertEquals(1, laptop.out().ofType("read").size(), "read no further: nothing more to tell");
    }

    @Test
    void typingReachesTheOthersOnly() {
        TestChat.Client ann = t.member("ann", "lobby");
        TestChat.Client bob = t.member("bob", "lobby");
        ann.out().clear();
        t.chat.handle(ann.connection(), new ClientFrame.Typing(null, "lobby"));
        assertEquals("ann", bob.out().ofType("typing").get(0).getString("user"));
        assertTrue(ann.out().ofType("typing").isEmpty());
    }

    @Test
    void pingIsAnsweredWithTheSameNumber() {
        TestChat.Client ann = t.hello("ann");
        t.chat.handle(ann.connection(), new ClientFrame.Ping("p", new BigDecimal("1732262400123.5")));
        assertEquals("1732262400123.5", ann.out().last().get("t").toString());
        assertEquals("p", ann.out().last().getString("ref"));
    }

    @Test
    void leaveStopsDeliveryAndTellsTheOthers() {
        TestChat.Client ann = t.member("ann", "lobby");
        TestChat.Client bob = t.member("bob", "lobby");
        t.chat.handle(bob.connection(), new ClientFrame.Leave("l", "lobby"));
        assertEquals("left", bob.out().last().getString("type"));
        JsonObject gone = ann.out().last();
        assertEquals("presence", gone.getString("type"));
        assertFalse(gone.getBoolean("online"));
        assertEquals(1, gone.getInt("count"));
        bob.out().clear();
        send(ann, "lobby", "after");
        assertTrue(bob.out().ofType("message").isEmpty());
        assertTrue(t.rooms.roomsOf("bob").isEmpty());
    }

    /** A deleted account's memberships end: its rooms no longer list it, and a connection still open is told. */
    @Test
    void leaveAllEndsEveryMembershipOfTheUser() {
        TestChat.Client ann = t.member("ann", "lobby");
        TestChat.Client bob = t.member("bob", "lobby");
        t.chat.handle(bob.connection(), new ClientFrame.Join("j", "garden", null, null));
        assertEquals(2, t.chat.leaveAll("bob"));
        assertEquals(List.of("garden", "lobby"), bob.out().ofType("left").stream().map(l -> l.getString("room"))
                .sorted().toList());
        assertFalse(ann.out().last().getBoolean("online"), "the room's presence: bob went");
        t.chat.handle(ann.connection(), new ClientFrame.Members("m", "lobby"));
        assertEquals(List.of("ann"), ann.out().reply("m").getJsonArray("items").getValuesAs(JsonObject.class)
                .stream().map(m -> m.getString("user")).toList());
        assertTrue(t.rooms.roomsOf("bob").isEmpty());
        assertEquals(0, t.chat.leaveAll("bob"), "none left");
    }

    @Test
    void aJoinReachesTheUsersOtherConnections() {
        TestChat.Client phone = t.hello("ann");
        TestChat.Client laptop = t.member("ann", "lobby");
        assertTrue(phone.connection().receives("lobby"));
        TestChat.Client bob = t.member("bob", "lobby");
        send(bob, "lobby", "to both devices");
        assertEquals(1, phone.out().ofType("message").size());
        assertEquals(1, laptop.out().ofType("message").size());
        assertNull(laptop.out().closeCode);
    }

    /**
     * A batch the database failed: its senders hear internal and send again; the operator sees it counted, and
     * not timed with what was stored (a database away fails fast).
     */
    @Test
    void aSendTheStoreFailedIsAnsweredInternalAndCountedNotTimed() {
        List<String> timed = new ArrayList<>();
        t.live.stats().timings(new ChatStats.Timings() {
            @Override
            public void commit(long nanos) {
                timed.add("commit");
            }

            @Override
            public void delivery(long nanos) {
                timed.add("delivery");
            }

            @Override
            public void batch(int messages, long nanos) {
                timed.add("batch of " + messages);
            }
        });
        TestChat.Client ann = t.member("ann", "lobby");
        t.messages.failNextBatch = new IllegalStateException("the database is away");
        t.chat.handle(ann.connection(), new ClientFrame.Send("s", "lobby", "hello", "c-1", null));
        assertEquals("internal", ann.out().last().getString("code"));
        assertEquals(1, t.live.stats().storeFailedCount());
        assertEquals(0, t.live.stats().storedCount());
        assertEquals(List.of(), timed, "nothing was stored to time");

        t.chat.handle(ann.connection(), new ClientFrame.Send("again", "lobby", "hello", "c-1", null));
        assertEquals("again", ann.out().ofType("receipt").get(0).getString("ref"));
        t.chat.handle(ann.connection(), new ClientFrame.Join("j", "dev", null, null));
        t.chat.handle(ann.connection(), new ClientFrame.Send("elsewhere", "dev", "hello", "c-1", null));
        assertEquals("conflict", ann.out().last().getString("code"), "the store refused it: c-1 is lobby's");
        assertEquals(1, t.live.stats().storeFailedCount(), "a refusal is not a failure of the store");
        assertEquals(List.of("batch of 1", "commit", "delivery", "batch of 1"), timed,
                "the stored send, and the refused one's batch, which the store answered");
    }

    /** When storing falls behind, a send past the messages waiting for it is refused, to be sent again soon. */

    @Test
    void aSendPastTheQueueOfMessagesWaitingToBeStoredIsRefusedAsRateLimited() {
        Queue<Runnable> heldCommits = new ArrayDeque<>();
        TestChat slow = new TestChat(Limits.DEFAULTS.with(Limits.MAX_RATE, Limits.MAX_RATE, null, null),
                heldCommits::add);
        TestChat.Client ann = slow.member("ann", "lobby");
        for (int i = 1; i <= MessagePosting.COMMIT_QUEUE; i++) {
            slow.chat.handle(ann.connection(), new ClientFrame.Send("s" + i, "lobby", "hi " + i, "c-" + i, null));
        }
        assertEquals(List.of(), ann.out().ofType("error"), "as many as the queue holds wait");
        slow.chat.handle(ann.connection(), new ClientFrame.Send("past", "lobby", "one too many", "c-past", null));
        JsonObject refused = ann.out().last();
        assertEquals("past", refused.getString("ref"));
        assertEquals("rate_limited", refused.getString("code"));
        assertEquals("the server is busy storing messages; send again soon", refused.getString("message"));
        slow.member("bob", "lobby");
        slow.chat.handle(ann.connection(), new ClientFrame.Tip("tip", "lobby", "bob", 5, "c-tip"));
        JsonObject tipRefused = ann.out().last();
        assertEquals("tip", tipRefused.getString("ref"));
        assertEquals("rate_limited", tipRefused.getString("code"), "a tip is a message to store too");
        assertEquals(MessagePosting.COMMIT_QUEUE, slow.chat.unansweredSends());
        assertEquals(2, slow.live.stats().refusedBusyCount(), "the operator sees the node's refusals");
        assertEquals(0, slow.live.stats().rateLimitedCount(), "not the senders' rate");

        commit(heldCommits);
        slow.chat.handle(ann.connection(), new ClientFrame.Send("again", "lobby", "one too many", "c-past", null));
        commit(heldCommits);
        List<JsonObject> receipts = ann.out().ofType("receipt");
        assertEquals(MessagePosting.COMMIT_QUEUE + 1, receipts.size(), "all that waited, then that one");
        assertEquals("again", receipts.get(MessagePosting.COMMIT_QUEUE).getString("ref"));
        assertEquals(MessagePosting.COMMIT_QUEUE + 1, receipts.get(MessagePosting.COMMIT_QUEUE).getInt("seq"));
    }

    private static void commit(Queue<Runnable> heldCommits) {
        while (!heldCommits.isEmpty()) {
            heldCommits.remove().run();
        }
    }

    @Test
    void framesOverTheRateAreRefusedAndAFloodIsClosedWith4029() {
        TestChat.Client ann = t.hello("ann"); // hello took one of the 40
        for (int i = 0; i < 39; i++) {
            t.chat.handle(ann.connection(), new ClientFrame.Ping("p" + i, null));
        }
        assertEquals(40, ann.out().json().size(), "welcome and 39 pongs: the whole burst");
        t.chat.handle(ann.connection(), new ClientFrame.Ping("over", null));
        assertEquals("rate_limited", ann.out().last().getString("code"));
        assertEquals("over", ann.out().last().getString("ref"));

        t.clock.advance(java.time.Duration.ofMillis(50));
        t.chat.handle(ann.connection(), new ClientFrame.Ping("again", null));
        assertEquals("pong", ann.out().last().getString("type"), "one token back after 50 ms");

        for (int i = 0; i < 40; i++) {
            t.chat.handle(ann.connection(), new ClientFrame.Ping("flood" + i, null));
        }
        assertNull(ann.out().closeCode, "40 refusals at once are still answered");
        t.chat.handle(ann.connection(), new ClientFrame.Ping("last straw", null));
        assertEquals(CloseCodes.RATE_LIMITED, ann.out().closeCode);
    }

    @Test
    void aClientSomewhatOverTheRateIsRefusedButNotClosed() {
        TestChat.Client ann = t.hello("ann");
        for (int i = 0; i < 600; i++) { // 30 frames a second for 20 s
            t.clock.advance(java.time.Duration.ofMillis(33));
            t.chat.handle(ann.connection(), new ClientFrame.Ping("p" + i, null));
        }
        assertNull(ann.out().closeCode);
        long refused = ann.out().ofType("error").stream().filter(e -> e.getString("code").equals("rate_limited"))
                .count();
        assertTrue(refused > 100 && refused < 300, "about a third refused: " + refused);
    }

    @Test
    void aUserMayHaveTenConnections() {
        List<TestChat.Client> tabs = IntStream.range(0, 10).mapToObj(i -> t.hello("ann")).toList();
        tabs.forEach(tab -> assertEquals("welcome", tab.out().last().getString("type")));
        TestChat.Client eleventh = t.hello("ann");
        assertEquals("rate_limited", eleventh.out().last().getString("code"));
        assertEquals(CloseCodes.RATE_LIMITED, eleventh.out().closeCode);
        assertEquals(10, t.live.connectionsOf("ann").size());

        t.chat.closed(tabs.get(0).connection(), 1000);
        TestChat.Client again = t.hello("ann");
        assertEquals("welcome", again.out().last().getString("type"), "a closed tab frees its place");
    }

    /** A name no user can have is refused before the store is asked, and not echoed back at any length. */
    @Test
    void everyModerationFrameRefusesWhatIsNotAUserName() {
        TestChat.Client bob = t.member("bob", "lobby");
        String notAName = "x".repeat(1000);
        List<ClientFrame> frames = List.of(new ClientFrame.Mute("m", "lobby", notAName, 5),
                new ClientFrame.Unmute("um", "lobby", notAName), new ClientFrame.Kick("k", "lobby", notAName),
                new ClientFrame.Ban("b", "lobby", notAName), new ClientFrame.Unban("ub", "lobby", notAName),
                new ClientFrame.Invite("i", "lobby", notAName),
                new ClientFrame.SetRole("r", "lobby", notAName, "moderator"));
        for (ClientFrame frame : frames) {
            t.chat.handle(bob.connection(), frame);
            JsonObject refused = bob.out().reply(frame.ref());
            assertEquals("bad_request", refused.getString("code"), frame.toString().substring(0, 40));
            assertEquals("not a user name", refused.getString("message"));
        }
    }

    @Test
    void aConnectionIsClosedWhenItsTokenExpires() {
        TestChat.Client ann = t.hello("ann"); // the test tokens live one hour
        t.clock.advance(java.time.Duration.ofHours(1).minusMillis(1));
        t.live.sweep(t.clock.millis(), Long.MAX_VALUE, Long.MAX_VALUE);
        assertNull(ann.out().closeCode);
        t.clock.advance(java.time.Duration.ofMillis(1));
        t.live.sweep(t.clock.millis(), Long.MAX_VALUE, Long.MAX_VALUE);
        assertEquals(CloseCodes.BAD_TOKEN, ann.out().closeCode);
    }

    /**
     * A step of the wall clock (NTP correcting it, a virtual machine resumed) moves the times of day, which are
     * stored and compared across nodes, and no connection's deadline: the token expires, the room's mute ends
     * and the edit window closes by it, while the steady clock that times the connections stands still.
     */
    @Test
    void aStepOfTheWallClockMovesTimesOfDayOnly() {
        TestChat.Client bob = t.member("bob", "lobby");
        TestChat.Client ann = t.member("ann", "lobby");
        t.chat.handle(ann.connection(), new ClientFrame.Send("s", "lobby", "said", "m-1", null));
        t.chat.handle(bob.connection(), new ClientFrame.Mute("m", "lobby", "ann", 10));
        assertEquals("ok", bob.out().reply("m").getString("type"));

        t.wall.step(java.time.Duration.ofHours(1)); // the test tokens' life, past the mute and the edit window
        t.chat.handle(ann.connection(), new ClientFrame.Send("after", "lobby", "free again", "m-2", null));
        assertEquals("receipt", ann.out().reply("after").getString("type"), "the mute has ended");
        t.chat.handle(ann.connection(), new ClientFrame.Edit("e", "lobby", 1L, "too late"));
        JsonObject late = ann.out().reply("e");
        assertEquals("forbidden", late.getString("code", null), "past the edit window: " + late);
        assertTrue(late.getString("message").startsWith("a message can be edited for"), late.toString());

        Limits limits = t.chat.limits();
        t.live.sweep(t.clock.millis(), limits.helloTimeout().toMillis(), limits.silenceTimeout().toMillis());
        assertEquals(CloseCodes.BAD_TOKEN, ann.out().closeCode, "the token has expired; the connection is not silent");
        assertEquals(CloseCodes.BAD_TOKEN, bob.out().closeCode);
    }

    /** Sends at the rate the limit allows (one frame per 50 ms), so that only the tests of the limit hit it. */
    private void send(TestChat.Client client, String room, String clientMsgId) {
        t.clock.advance(java.time.Duration.ofMillis(50));
        t.chat.handle(client.connection(), new ClientFrame.Send(clientMsgId, room, "text " + clientMsgId, clientMsgId,
                null));
    }

    private static List<Integer> seqs(JsonObject messages) {
        return messages.getJsonArray("items").getValuesAs(JsonObject.class).stream().map(m -> m.getInt("seq")).toList();
    }
}
