package dev.parley.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.cluster.RoomEvent;
import dev.parley.config.Limits;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Frames;
import dev.parley.testing.TestChat;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Catching up (the replay after hello, fills from the store, sync and history pages) fills at most a quarter of
 * a reader's outbound queue: a reader on a slow link gets what it can take and pages on, instead of being
 * closed with 4008 for what the server chose to send at once.
 */
class CatchUpTest {

    /** A queue of 64 Ki characters: its catch-up share, 16 Ki, is some fourteen messages of 1,000 characters. */
    private static final long QUEUE = 64 * 1024;
    private static final String LONG_TEXT = "x".repeat(1_000);

    private final Limits limits = TestChat.withQueue(QUEUE);
    private final TestChat t = new TestChat(limits);
    private int posted;

    @Test
    void aReplayStopsAtTheShareAndTheRoomsAfterItSayMoreForTheClientToPage() {
        TestChat.Client laptop = t.member("ann", "lobby");
        t.chat.handle(laptop.connection(), new ClientFrame.Join("j", "side", null, null));
        post("lobby", 40);
        post("side", 5);

        TestChat.Client phone = slowReader("ann", Map.of("lobby", new ClientFrame.Position(0L, "epoch-lobby"),
                "side", new ClientFrame.Position(0L, "epoch-side")));

        assertNull(phone.out().closeCode, "the replay did not overflow the reader's queue");
        List<Long> replayed = seqs(phone, "lobby");
        assertTrue(!replayed.isEmpty() && replayed.size() < 40, "part of lobby: " + replayed.size());
        assertEquals(LongStream.rangeClosed(1, replayed.size()).boxed().toList(), replayed, "in order from 1");
        assertTrue(phone.out().queuedChars() < limits.catchUpChars() + 2 * LONG_TEXT.length(),
                "a message past the share at most: " + phone.out().queuedChars());
        assertEquals(List.of(), seqs(phone, "side"), "the share was spent before side");
        assertSynced(phone, "lobby", replayed.size());
        assertSynced(phone, "side", 0);

        phone.out().read();
        List<Long> lobby = new ArrayList<>(replayed);
        lobby.addAll(syncAll(phone, "lobby", replayed.get(replayed.size() - 1)));
        assertEquals(LongStream.rangeClosed(1, 40).boxed().toList(), lobby, "every message once, in order");
        assertEquals(LongStream.rangeClosed(1, 5).boxed().toList(), syncAll(phone, "side", 0));

        post("lobby", 1);
        publish("lobby", 41);
        assertEquals(41L, seqs(phone, "lobby").get(seqs(phone, "lobby").size() - 1), "live again after the sync");
    }

    @Test
    void aHistoryPageLargerThanTheShareKeepsItsNewestAndPagingReachesTheFirst() {
        TestChat.Client ann = t.member("ann", "lobby");
        post("lobby", 100);
        ann.out().queueBoundChars = QUEUE;
        ann.out().clear();

        List<Long> seen = new ArrayList<>();
        Long before = null;
        boolean more = true;
        while (more) {
            t.chat.handle(ann.connection(), new ClientFrame.History("h", "lobby", before, 100));
            assertNull(ann.out().closeCode, "asking for history did not close the reader");
            JsonObject page = ann.out().last();
            List<Long> items = items(page);
            assertTrue(items.size() < 100, "never the whole 100 KB at once: " + items.size());
            seen.addAll(0, items);
            before = items.get(0);
            more = page.getBoolean("more");
            ann.out().read();
        }
        assertEquals(LongStream.rangeClosed(1, 100).boxed().toList(), seen, "each once, the newest first");
    }

    @Test
    void aPageAskedWhileTheQueueHoldsItsShareHoldsOneMessageAndSaysMore() {
        TestChat.Client ann = t.member("ann", "lobby");
        post("lobby", 30);
        ann.out().queueBoundChars = QUEUE;
        t.chat.handle(ann.connection(), new ClientFrame.Sync("s", "lobby", 0L, 500));
        List<Long> first = items(ann.out().last());

        t.chat.handle(ann.connection(), new ClientFrame.Sync("s", "lobby", first.get(first.size() - 1), 500));
        JsonObject page = ann.out().last();
        assertEquals(List.of(first.get(first.size() - 1) + 1), items(page));
        assertTrue(page.getBoolean("more"));
        t.chat.handle(ann.connection(), new ClientFrame.History("h", "lobby", null, 500));
        assertEquals(List.of(30L), items(ann.out().last()), "history's one is the newest");
        assertNull(ann.out().closeCode);
    }

    @Test
    void aResendToAReaderWithItsShareQueuedWaitsUntilItReads() {
        TestChat.Client bob = slowMemberSent(40);
        assertEquals(40, seqs(bob, "lobby").size(), "live messages are not held to the share");

        t.clock.advance(Duration.ofSeconds(10));
        t.redelivery.sweep();
        assertNull(bob.out().closeCode, "the resend did not push the slow reader past its queue");
        assertEquals(40, seqs(bob, "lobby").size(), "nothing resent on top of what it has still to read");
        for (int sweep = 0; sweep <= limits.maxResends(); sweep++) { // past those that close a reader that never acks
            t.clock.advance(Duration.ofSeconds(10));
            t.redelivery.sweep();
        }
        assertNull(bob.out().closeCode, "a resend that waits is not counted towards closing the reader");

        bob.out().read();
        t.redelivery.sweep();
        List<Long> resent = seqs(bob, "lobby").subList(40, seqs(bob, "lobby").size());
        assertTrue(!resent.isEmpty(), "once it has read, the unacked messages come again");
        assertTrue(resent.size() < 40, "as much as its share: " + resent.size());
        assertEquals(LongStream.rangeClosed(1, resent.size()).boxed().toList(), resent, "from the acked seq, in order");
    }

    /**
     * The share's edge: a reader with its share still to read is resent nothing; one with a message less is resent
     * that message, which takes it to its share, and no more.
     */
    @Test
    void aResendGoesBelowTheShareAndStopsAtIt() {
        TestChat.Client bob = slowMemberSent(3);
        String first = bob.out().frames.stream().filter(json -> json.contains("\"seq\":1,")).findFirst().orElseThrow();
        bob.out().holdQueued(limits.catchUpChars());
        t.clock.advance(Duration.ofSeconds(10));
        t.redelivery.sweep();
        assertEquals(List.of(1L, 2L, 3L), seqs(bob, "lobby"), "at the share: nothing resent");

        bob.out().holdQueued(limits.catchUpChars() - first.length());
        t.redelivery.sweep();
        assertEquals(List.of(1L, 2L, 3L, 1L), seqs(bob, "lobby"), "a message below it: that one");
        assertEquals(limits.catchUpChars(), bob.out().queuedChars(), "the same frame again");
    }

    /** bob, a member of lobby whose link is slow, sent {@code count} new messages there live (he acks none). */
    private TestChat.Client slowMemberSent(int count) {
        TestChat.Client bob = t.member("bob", "lobby");
        bob.out().queueBoundChars = QUEUE;
        post("lobby", count);
        LongStream.rangeClosed(1, count).forEach(seq -> publish("lobby", seq));
        return bob;
    }

    /** Connects a reader whose link is slow (nothing it is sent is read yet) and says hello. */
    private TestChat.Client slowReader(String user, Map<String, ClientFrame.Position> resume) {
        TestChat.Client client = t.connect();
        client.out().queueBoundChars = QUEUE;
        t.chat.handle(client.connection(), new ClientFrame.Hello("h", t.tokens.issue(user, Set.of()).token(), resume));
        return client;
    }

    /** Pages with sync from {@code after} until the room has no more, reading each page before the next. */
    private List<Long> syncAll(TestChat.Client client, String room, long after) {
        List<Long> seen = new ArrayList<>();
        boolean more = true;
        while (more) {
            t.chat.handle(client.connection(), new ClientFrame.Sync("s", room, after, 500));
            JsonObject page = client.out().last();
            List<Long> items = items(page);
            seen.addAll(items);
            after = items.isEmpty() ? after : items.get(items.size() - 1);
            more = page.getBoolean("more");
            client.out().read();
        }
        assertNull(client.out().closeCode);
        return seen;
    }

    private void assertSynced(TestChat.Client client, String room, long seq) {
        JsonObject synced = client.out().ofType("synced").stream().filter(s -> room.equals(s.getString("room")))
                .findFirst().orElseThrow();
        assertEquals(seq, synced.getJsonNumber("seq").longValue(), room);
        assertTrue(synced.getBoolean("more"), room + " has more");
        assertTrue(synced.getBoolean("recovered"), room);
    }

    private void post(String room, int count) {
        for (int i = 0; i < count; i++) {
            t.messages.append(new MessageStore.NewMessage(room, "carol", LONG_TEXT, StoredMessage.TEXT,
                    "c" + posted++, null));
        }
    }

    private void publish(String room, long seq) {
        StoredMessage stored = t.messages.after(room, seq - 1, 1).get(0);
        String json = Frames.encode(stored.frameFor("nobody"));
        t.bus.publish(new RoomEvent.Posted(room, seq, stored.from(), json, json));
    }

    private static List<Long> items(JsonObject page) {
        return page.getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .map(m -> m.getJsonNumber("seq").longValue()).toList();
    }

    private static List<Long> seqs(TestChat.Client client, String room) {
        return client.out().ofType("message").stream().filter(m -> room.equals(m.getString("room")))
                .map(m -> m.getJsonNumber("seq").longValue()).toList();
    }
}
