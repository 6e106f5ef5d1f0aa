package dev.parley.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.cluster.RoomEvent;
import dev.parley.config.Limits;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.Frames;
import dev.parley.room.RoomCursor;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Replay after hello, gap filling and resends, all read from the store. */
class RedeliveryTest {

    private final TestChat t = new TestChat();
    private int posted;

    @Test
    void helloWithResumeReplaysWhatCameAfterThenSaysSynced() {
        t.member("ann", "lobby");
        post("lobby", 5);
        TestChat.Client phone = hello("ann", Map.of("lobby", new ClientFrame.Position(2L, "epoch-lobby")));

        assertEquals(List.of(3L, 4L, 5L), seqs(phone));
        JsonObject synced = phone.out().ofType("synced").get(0);
        assertEquals(5, synced.getInt("seq"));
        assertFalse(synced.getBoolean("more"));
        assertTrue(synced.getBoolean("recovered"));
        assertEquals("welcome", phone.out().json().get(0).getString("type"), "welcome comes first");
    }

    /**
     * Another device of the user joins a room of theirs again (the page does on every reconnect) while this one
     * says hello: the join's place (the room's seq) is for a room new to the user, not for one the replay covers.
     */
    @Test
    void aJoinAgainOnAnotherDeviceDuringHelloLeavesTheReplayWhole() {
        TestChat.Client laptop = t.member("ann", "lobby");
        post("lobby", 3);
        t.rooms.afterNextRoomsRead = () -> t.chat.handle(laptop.connection(),
                new ClientFrame.Join("j2", "lobby", null, null));
        TestChat.Client phone = hello("ann", Map.of("lobby", new ClientFrame.Position(1L, "epoch-lobby")));

        assertEquals(List.of(2L, 3L), seqs(phone));
        assertEquals(3, phone.out().ofType("synced").get(0).getInt("seq"));
        TestChat.Client tablet = hello("ann", Map.of());
        t.rooms.afterNextRoomsRead = () -> t.chat.handle(laptop.connection(),
                new ClientFrame.Join("j3", "lobby", null, null));
        TestChat.Client watch = hello("ann", Map.of());
        assertEquals(seqs(tablet), seqs(watch), "from the read marker, as without the join");
        assertEquals(List.of(1L, 2L, 3L), seqs(watch));
    }

    /** What came before a member joined is history: neither unread nor replayed to a device without a position. */
    @Test
    void aMemberWhoJoinsLaterHasReadUpToTheRoomsSeqThen() {
        t.member("ann", "lobby");
        post("lobby", 3);
        t.member("bob", "lobby");
        TestChat.Client phone = hello("bob", Map.of());
        assertEquals(0, phone.out().json().get(0).getJsonArray("rooms").getJsonObject(0).getInt("unread"));
        assertEquals(List.of(), seqs(phone));
        post("lobby", 1);
        assertEquals(List.of(4L), seqs(hello("bob", Map.of())));
    }

    @Test
    void aDeviceWithoutResumeGetsWhatTheUserHasNotAcked() {
        TestChat.Client laptop = t.member("ann", "lobby");
        post("lobby", 4);
        LongStream.rangeClosed(1, 4).forEach(seq -> publish("lobby", seq));
        t.chat.handle(laptop.connection(), new ClientFrame.Ack(null, "lobby", 3L, null));

        TestChat.Client phone = hello("ann", Map.of());
        assertEquals(List.of(4L), seqs(phone), "the read marker is at 3");
        assertEquals(4, phone.out().ofType("synced").get(0).getInt("seq"));
    }

    @Test
    void anotherEpochIsNotReplayedButReportedAsNotRecovered() {
        t.member("ann", "lobby");
        post("lobby", 3);
        TestChat.Client phone = hello("ann", Map.of("lobby", new ClientFrame.Position(1L, "an old epoch")));
        assertEquals(List.of(), seqs(phone));
        JsonObject synced = phone.out().ofType("synced").get(0);
        assertFalse(synced.getBoolean("recovered"));
        assertEquals(3, synced.getInt("seq"));
    }

    @Test
    void aLongAbsenceReplays500ThenTheClientPagesAndLiveDeliveryResumesInOrder() {
        t.member("ann", "lobby");
        post("lobby", 1_200);
        TestChat.Client phone = hello("ann", Map.of("lobby", new ClientFrame.Position(0L, "epoch-lobby")));
        assertEquals(LongStream.rangeClosed(1, 500).boxed().toList(), seqs(phone), "at most 500 per room");
        JsonObject synced = phone.out().ofType("synced").get(0);
        assertTrue(synced.getBoolean("more"));
        assertEquals(500, synced.getInt("seq"));

        post("lobby", 1); // 1201 arrives live while the client pages: it waits for the client to catch up
        publish("lobby", 1_201);
        assertEquals(500, seqs(phone).size());

        long after = 500;
        boolean more = true;
        while (more) {
            t.clock.advance(Duration.ofMillis(50));
            t.chat.handle(phone.connection(), new ClientFrame.Sync("s", "lobby", after, 500));
            JsonObject page = phone.out().ofType("messages").get(phone.out().ofType("messages").size() - 1);
            List<JsonObject> items = page.getJsonArray("items").getValuesAs(JsonObject.class);
            after = items.get(items.size() - 1).getJsonNumber("seq").longValue();
            more = page.getBoolean("more");
        }
        assertEquals(1_201, after);
        post("lobby", 1);
        publish("lobby", 1_202);
        assertEquals(List.of(1_202L), seqs(phone).subList(500, seqs(phone).size()),
                "1201 came in the last page; after it, live messages follow without a gap or a repeat");
    }

    /** An ack of what a sync page gave counts while the room's live messages still wait for the paging. */
    @Test
    void anAckOfAPagedMessageCountsBeforeThePagingEnds() {
        t.member("ann", "lobby");
        post("lobby", 1_200);
        TestChat.Client phone = hello("ann", Map.of("lobby", new ClientFrame.Position(0L, "epoch-lobby")));
        t.chat.handle(phone.connection(), new ClientFrame.Sync("s", "lobby", 500L, 100));
        assertTrue(phone.out().reply("s").getBoolean("more"));
        t.chat.handle(phone.connection(), new ClientFrame.Ack(null, "lobby", 600L, null));
        t.live.close(phone.connection());

        TestChat.Client laptop = hello("ann", Map.of());
        assertEquals(601L, seqs(laptop).get(0), "replayed from the read marker the ack moved");
    }

    /** A sync past the room's newest (a client's slip) ends the wait there, not at the seq it named. */
    @Test
    void aSyncPastTheNewestEndsTheWaitAtTheNewest() {
        t.member("ann", "lobby");
        post("lobby", 600);
        TestChat.Client phone = hello("ann", Map.of("lobby", new ClientFrame.Position(0L, "epoch-lobby")));
        assertEquals(500, seqs(phone).size());
        t.chat.handle(phone.connection(), new ClientFrame.Sync("s", "lobby", 1_000_000L, 500));
        assertTrue(phone.out().reply("s").getJsonArray("items").isEmpty());

        post("lobby", 1);
        publish("lobby", 601);
        assertEquals(List.of(500L, 601L), seqs(phone).subList(499, seqs(phone).size()),
                "the client said it holds up to 600; 601 is not held back for a seq that may never come");
    }

    @Test
    void anAbsenceOfExactly500IsReplayedWhole() {
        t.member("ann", "lobby");
        post("lobby", 500);
        TestChat.Client phone = hello("ann", Map.of("lobby", new ClientFrame.Position(0L, "epoch-lobby")));
        assertEquals(LongStream.rangeClosed(1, 500).boxed().toList(), seqs(phone));
        JsonObject synced = phone.out().ofType("synced").get(0);
        assertFalse(synced.getBoolean("more"), "nothing left to page");
        assertTrue(synced.getBoolean("recovered"));
        assertEquals(500, synced.getInt("seq"));
    }

    @Test
    void aGapThatLiveDeliveryCannotFillIsFilledFromTheStore() {
        TestChat.Client bob = t.member("bob", "lobby");
        post("lobby", 3);
        publish("lobby", 1);
        publish("lobby", 3); // 2 was stored but its live event never came
        assertEquals(List.of(1L), seqs(bob));

        t.clock.advance(Duration.ofMillis(Redelivery.HOLD_MILLIS - 1));
        t.redelivery.sweep();
        assertEquals(List.of(1L), seqs(bob), "held briefly");
        t.clock.advance(Duration.ofMillis(1));
        t.redelivery.sweep();
        assertEquals(List.of(1L, 2L, 3L), seqs(bob));
    }

    /**
     * An ack past what the connection was given (a client's slip) is taken up to that: a message posted after it
     * is neither counted read nor spared its resend.
     */
    @Test
    void anAckPastWhatWasSentCountsUpToWhatWas() {
        TestChat.Client bob = t.member("bob", "lobby");
        post("lobby", 2);
        publish("lobby", 1);
        publish("lobby", 2);
        t.chat.handle(bob.connection(), new ClientFrame.Ack(null, "lobby", 1_000_000L, null));
        post("lobby", 1);
        publish("lobby", 3);
        assertEquals(List.of(1L, 2L, 3L), seqs(bob));

        t.clock.advance(Limits.DEFAULTS.resendAfter());
        t.redelivery.sweep();
        assertEquals(List.of(1L, 2L, 3L, 3L), seqs(bob), "3 again: it was not acked");
        TestChat.Client phone = hello("bob", Map.of());
        assertEquals(1, phone.out().json().get(0).getJsonArray("rooms").getJsonObject(0).getInt("unread"));
    }

    /** Behind a gap at most {@link RoomCursor#MAX_HELD} wait in memory; what was dropped past them is read too. */
    @Test
    void aGapHoldsAtMostItsBoundAndTheStoreBringsWhatWasDroppedInOrder() {
        TestChat.Client bob = t.member("bob", "lobby");
        int last = RoomCursor.MAX_HELD + 2;
        post("lobby", last);
        for (long seq = 2; seq <= last; seq++) {
            publish("lobby", seq); // 1 was stored but its live event never came: 2 to 1002 wait, one too many
        }
        assertEquals(List.of(), seqs(bob));

        t.clock.advance(Duration.ofMillis(Redelivery.HOLD_MILLIS));
        t.redelivery.sweep();
        assertEquals(LongStream.rangeClosed(1, last - 1).boxed().toList(), seqs(bob),
                "a page from the store, then what was held");
        t.redelivery.sweep();
        assertEquals(LongStream.rangeClosed(1, last).boxed().toList(), seqs(bob), "then the one dropped");
    }

    /** What retention removed is passed over: a replay from below it begins at the oldest message kept. */
    @Test
    void aReplayFromBelowWhatRetentionRemovedBeginsAtTheOldestKeptAndLiveMessagesFollow() {
        t.member("ann", "lobby"); // her read marker stays at 0
        post("lobby", 3);
        t.clock.advance(Duration.ofDays(31));
        post("lobby", 2);
        assertEquals(3, t.messages.purge(t.clock.instant().minus(Duration.ofDays(30)), 1000));

        TestChat.Client phone = hello("ann", Map.of());
        assertEquals(List.of(4L, 5L), seqs(phone));
        assertEquals(5, phone.out().ofType("synced").get(0).getInt("seq"));
        post("lobby", 1);
        publish("lobby", 6);
        assertEquals(List.of(4L, 5L, 6L), seqs(phone), "and live delivery goes on from there");
    }

    /**
     * Retention removed all the room's messages: the replay has nothing to send, and the seqs below the room's
     * were all taken, so the cursor starts at the room's seq: the next live message goes out at once, not held
     * for a gap that never fills, nor counted as a lost live event.
     */
    @Test
    void aReplayOfARoomRetentionEmptiedStartsAtTheRoomsSeq() {
        t.member("ann", "lobby"); // her read marker stays at 0
        post("lobby", 3);
        t.clock.advance(Duration.ofDays(31));
        assertEquals(3, t.messages.purge(t.clock.instant().minus(Duration.ofDays(30)), 1000));

        TestChat.Client phone = hello("ann", Map.of());
        assertEquals(List.of(), seqs(phone));
        assertEquals(3, phone.out().ofType("synced").get(0).getInt("seq"), "the room's seq, as welcome said");
        post("lobby", 1);
        publish("lobby", 4);
        assertEquals(List.of(4L), seqs(phone), "live at once");
        for (int check = 0; check < 3; check++) {
            t.clock.advance(Duration.ofMillis(Redelivery.TIP_CHECK_MILLIS));
            t.redelivery.sweep();
        }
        assertEquals(0, t.live.stats().missedLiveCount());
    }

    @Test
    void aMessagePostedWhileAJoinWasUnderWayIsFilledFromTheStore() {
        t.member("ann", "lobby");
        TestChat.Client bob = t.member("bob", "lobby");
        post("lobby", 1); // committed after bob's join took the room's seq; its live event went before his cursor
        t.clock.advance(Duration.ofMillis(Redelivery.HOLD_MILLIS));
        t.redelivery.sweep();
        assertEquals(List.of(1L), seqs(bob));
    }

    @Test
    void theChecksAfterJoinsAreOneReadOfTheRoomNotOneForEachConnection() {
        TestChat.Client ann = t.member("ann", "lobby");
        post("lobby", 2);
        publish("lobby", 1);
        publish("lobby", 2);
        assertEquals(List.of(1L, 2L), seqs(ann));
        List<TestChat.Client> joiners = IntStream.range(0, 50).mapToObj(i -> t.member("user" + i, "lobby")).toList();
        t.clock.advance(Duration.ofMillis(Redelivery.HOLD_MILLIS));
        int before = t.messages.reads();
        t.redelivery.sweep();
        assertEquals(1, t.messages.reads() - before);
        assertTrue(joiners.stream().allMatch(joiner -> seqs(joiner).isEmpty()), "nothing was missed");

        t.redelivery.sweep();
        assertEquals(1, t.messages.reads() - before, "the checks are done");
    }

    @Test
    void aRoomsNewestMessageWhoseLiveEventNeverCameIsSentATipCheckLater() {
        TestChat.Client bob = t.member("bob", "lobby");
        post("lobby", 2);
        publish("lobby", 1); // 2's event was lost, and no later message shows the gap
        t.redelivery.sweep();
        assertEquals(List.of(1L), seqs(bob), "2's live event may still be on its way");

        t.clock.advance(Duration.ofMillis(Redelivery.TIP_CHECK_MILLIS - 1));
        t.redelivery.sweep();
        assertEquals(List.of(1L), seqs(bob));
        t.clock.advance(Duration.ofMillis(1));
        t.redelivery.sweep();
        assertEquals(List.of(1L, 2L), seqs(bob));
        assertEquals(1, t.live.stats().missedLiveCount());
    }

    @Test
    void theTipCheckReadsNoMessagesWhenNoLiveEventWasLost() {
        TestChat.Client ann = t.member("ann", "lobby");
        List<TestChat.Client> readers = IntStream.range(0, 20).mapToObj(i -> t.member("user" + i, "lobby")).toList();
        post("lobby", 2);
        publish("lobby", 1);
        publish("lobby", 2);
        Stream.concat(Stream.of(ann), readers.stream()).forEach(reader -> t.chat.handle(reader.connection(),
                new ClientFrame.Ack(null, "lobby", 2L, null))); // else the resends would read
        int before = t.messages.reads();
        for (int check = 0; check < 3; check++) {
            t.redelivery.sweep();
            t.clock.advance(Duration.ofMillis(Redelivery.TIP_CHECK_MILLIS));
        }
        assertEquals(before, t.messages.reads());
        assertEquals(0, t.live.stats().missedLiveCount());
        assertTrue(readers.stream().allMatch(reader -> seqs(reader).equals(List.of(1L, 2L))));
        assertEquals(List.of(1L, 2L), seqs(ann));
    }

    /** A resend reads one page from the acked seq: ending below the tip, it is no sign of a lost live event. */
    @Test
    void aResendEndingAPageBelowTheTipIsNotCountedAsMissed() {
        TestChat.Client bob = t.member("bob", "lobby");
        post("lobby", 600);
        LongStream.rangeClosed(1, 600).forEach(seq -> publish("lobby", seq));
        t.redelivery.sweep(); // the tip check reads 600
        t.clock.advance(Duration.ofSeconds(10));
        t.redelivery.sweep(); // the resend and the next tip check, at once
        assertEquals(600 + 500, seqs(bob).size(), "all live, then the resend's page");
        assertEquals(0, t.live.stats().missedLiveCount());
    }

    /** Retention took the tip before the check came: the cursor moves past it, rather than read for it again. */
    @Test
    void aTipThatRetentionRemovedIsPassedOverOnce() {
        TestChat.Client bob = t.member("bob", "lobby");
        t.clock.advance(Duration.ofMillis(Redelivery.HOLD_MILLIS));
        t.redelivery.sweep(); // the check after his join: nothing was posted meanwhile
        post("lobby", 2); // both events lost
        t.clock.advance(Duration.ofMillis(Redelivery.TIP_CHECK_MILLIS));
        t.redelivery.sweep();
        t.clock.advance(Duration.ofDays(31));
        assertEquals(2, t.messages.purge(t.clock.instant().minus(Duration.ofDays(30)), 1000));

        int before = t.messages.reads();
        t.redelivery.sweep();
        assertEquals(1, t.messages.reads() - before, "one read found nothing left");
        t.clock.advance(Duration.ofMillis(Redelivery.TIP_CHECK_MILLIS));
        t.redelivery.sweep();
        assertEquals(1, t.messages.reads() - before, "and the next check has nothing to read");
        post("lobby", 1);
        publish("lobby", 3);
        assertEquals(List.of(3L), seqs(bob), "3 goes out live, no gap below it");
    }

    @Test
    void unackedMessagesAreResentAndAConnectionThatNeverAcksIsClosed() {
        TestChat.Client bob = t.member("bob", "lobby");
        post("lobby", 2);
        publish("lobby", 1);
        publish("lobby", 2);
        t.chat.handle(bob.connection(), new ClientFrame.Ack(null, "lobby", 1L, null));

        Duration resendAfter = Limits.DEFAULTS.resendAfter();
        t.clock.advance(resendAfter.minusMillis(1));
        t.redelivery.sweep();
        assertEquals(List.of(1L, 2L), seqs(bob));
        t.clock.advance(Duration.ofMillis(1));
        t.redelivery.sweep();
        assertEquals(List.of(1L, 2L, 2L), seqs(bob), "resent from the acked seq + 1");

        for (int i = 1; i < Limits.DEFAULTS.maxResends(); i++) {
            t.clock.advance(resendAfter);
            t.redelivery.sweep();
        }
        assertNull(bob.out().closeCode, Limits.DEFAULTS.maxResends() + " resends are allowed");
        t.clock.advance(resendAfter);
        t.redelivery.sweep();
        assertEquals(CloseCodes.TOO_SLOW, bob.out().closeCode);
    }

    @Test
    void aResendAfterAJoinBeginsAtTheJoinNotAtTheRoomsFirstMessage() {
        t.member("ann", "lobby");
        post("lobby", 3); // before bob joins
        TestChat.Client bob = t.member("bob", "lobby");
        post("lobby", 1);
        publish("lobby", 4);
        assertEquals(List.of(4L), seqs(bob));

        t.clock.advance(Duration.ofSeconds(10));
        t.redelivery.sweep();
        assertEquals(List.of(4L, 4L), seqs(bob), "what came before the join is history, read with history");
    }

    @Test
    void anAckStopsTheResends() {
        TestChat.Client bob = t.member("bob", "lobby");
        post("lobby", 1);
        publish("lobby", 1);
        t.chat.handle(bob.connection(), new ClientFrame.Ack(null, "lobby", 1L, null));
        t.clock.advance(Duration.ofMinutes(5));
        t.redelivery.sweep();
        assertEquals(List.of(1L), seqs(bob));
    }

    private TestChat.Client hello(String user, Map<String, ClientFrame.Position> resume) {
        TestChat.Client client = t.connect();
        t.chat.handle(client.connection(), new ClientFrame.Hello("h", t.tokens.issue(user, Set.of()).token(), resume));
        return client;
    }

    /** Stores messages from carol without publishing them, as if their live events were still on the way. */
    private void post(String room, int count) {
        for (int i = 0; i < count; i++) {
            t.messages.append(new MessageStore.NewMessage(room, "carol", "text", StoredMessage.TEXT, "c" + posted++,
                    null));
        }
    }

    /** The live event of a stored message. */
    private void publish(String room, long seq) {
        StoredMessage stored = t.messages.after(room, seq - 1, 1).get(0);
        String json = Frames.encode(stored.frameFor("nobody"));
        t.bus.publish(new RoomEvent.Posted(room, seq, stored.from(), json, json));
    }

    private static List<Long> seqs(TestChat.Client client) {
        return client.out().ofType("message").stream().map(m -> m.getJsonNumber("seq").longValue()).toList();
    }
}
