package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.Limits;
import dev.parley.delivery.MessageStore;
import dev.parley.room.ModerationStore;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonObjectBuilder;
import java.net.Socket;
import java.net.URL;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Chat over real sockets against the WAR deployed on Payara Micro (H2, and again on PostgreSQL). */
@Tag("wildfly")
@ExtendWith({FreshServer.class, ArquillianExtension.class})
@RunAsClient
class ChatIT {

    /**
     * Sends in flight at most in {@link Server#postAsFastAsReceiptsCome}: the sender is in the rooms it posts to,
     * and its echoes and receipts would pass the test servers' small outbound queue (4008) if a slow client read
     * them all at once.
     */
    private static final int WINDOW = 200;

    @ArquillianResource
    URL base;

    @Test
    void deployedAtTheExpectedContextRoot() {
        assertEquals("/parley/", base.getPath());
    }

    @Test
    void twoClientsChatInARoom() throws Exception {
        String room = Server.unique("lobby");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            ann.send(WsClient.frame("send").add("ref", "s1").add("room", room)
                    .add("text", "hello <b>bob</b>'; drop table room;--")
                    .add("clientMsgId", "c1").build());
            // Whichever comes first of the two: the receipt, by the server's order (it is sent before the publish).
            JsonObject receipt = ann.await(null, f -> "s1".equals(f.getString("ref", null))
                    || "message".equals(f.getString("type")) && room.equals(f.getString("room")));
            assertEquals("receipt", receipt.getString("type"), "receipt before the message: " + receipt);
            JsonObject own = ann.await("message", m -> room.equals(m.getString("room")));
            JsonObject theirs = bob.await("message", m -> room.equals(m.getString("room")));

            assertEquals(receipt.getJsonNumber("seq"), own.getJsonNumber("seq"));
            assertEquals(receipt.getJsonNumber("seq"), theirs.getJsonNumber("seq"));
            assertEquals(receipt.getString("id"), theirs.getString("id"));
            assertEquals("hello <b>bob</b>'; drop table room;--", theirs.getString("text"), "text arrives verbatim");
            assertEquals("c1", own.getString("clientMsgId"));
            assertFalse(theirs.containsKey("clientMsgId"), "only the sender's connections see the client id");
            assertEquals(receipt.getString("ts"), theirs.getString("ts"));
            assertEquals("text", theirs.getString("kind"));
        }
    }

    /**
     * {@code welcome} counts a room's unread messages that name the user among the first 1,000 that contain the
     * name, through the store's own query: a room with 1,000 such messages shows 1,000, one with 1,001 too.
     */
    @Test
    void welcomeCountsUnreadMentionsUpTo1000() throws Exception {
        String atTheEdge = Server.unique("named");
        String pastIt = Server.unique("named");
        JsonObject ann = Server.guest(Server.unique("ann"));
        JsonObject resume = joinedBy(ann, List.of(atTheEdge, pastIt));
        List<Map.Entry<String, String>> sent = new ArrayList<>();
        int checked = MessageStore.MENTIONS_CHECKED;
        for (int i = 0; i < 2 * checked + 1; i++) {
            sent.add(Map.entry(i < checked ? atTheEdge : pastIt, "@" + ann.getString("user") + " look " + i));
        }
        sent.add(Map.entry(atTheEdge, "nobody named"));
        Server.postAsFastAsReceiptsCome(sent, WINDOW);

        Map<String, JsonObject> rooms = welcomeAfter(ann, resume);
        assertEquals(checked + 1, rooms.get(atTheEdge).getInt("unread"));
        assertEquals(checked, rooms.get(atTheEdge).getInt("mentions"));
        assertEquals(checked + 1, rooms.get(pastIt).getInt("unread"));
        assertEquals(checked, rooms.get(pastIt).getInt("mentions"), "counted among the first " + checked + " only");
    }

    /**
     * {@code welcome} looks for mentions among a room's newest {@value MessageStore#UNREAD_SCANNED} unread
     * messages only, through the store's own query: a mention that many from the newest is counted, one further
     * back is not.
     */
    @Test
    void welcomeLooksForMentionsAmongTheNewestUnreadOnly() throws Exception {
        String room = Server.unique("deep");
        JsonObject ann = Server.guest(Server.unique("ann"));
        int scanned = MessageStore.UNREAD_SCANNED;
        JsonObject resume = joinedBy(ann, List.of(room), scanned);
        List<Map.Entry<String, String>> sent = new ArrayList<>();
        sent.add(Map.entry(room, "@" + ann.getString("user") + " way back"));
        for (int i = 1; i < scanned; i++) {
            sent.add(Map.entry(room, "chatter " + i));
        }
        Server.postAsFastAsReceiptsCome(sent, WINDOW);
        JsonObject atTheEdge = welcomeAfter(ann, resume).get(room);
        assertEquals(scanned, atTheEdge.getInt("unread"));
        assertEquals(1, atTheEdge.getInt("mentions"), "the newest " + scanned + " unread hold it");

        Server.postAsFastAsReceiptsCome(List.of(Map.entry(room, "one more")), WINDOW);
        JsonObject pastIt = welcomeAfter(ann, resume).get(room);
        assertEquals(scanned + 1, pastIt.getInt("unread"));
        assertEquals(0, pastIt.getInt("mentions"), "one further back than the newest " + scanned);
    }

    /**
     * A name may hold {@code _}, which a LIKE pattern reads as any one character: 1,000 near misses before the
     * one mention do not take its place among the first 1,000 read. The user's own line naming them is neither
     * unread nor a mention.
     */
    @Test
    void theMentionOfANameWithAnUnderscoreIsCountedAfterManyNearMisses() throws Exception {
        String room = Server.unique("near");
        JsonObject ann = Server.guest(Server.unique("ann_x"));
        String name = ann.getString("user");
        JsonObject resume = joinedBy(ann, List.of(room));
        List<Map.Entry<String, String>> sent = new ArrayList<>();
        for (int i = 0; i < MessageStore.MENTIONS_CHECKED; i++) {
            sent.add(Map.entry(room, "@" + name.replace('_', 'A') + " not you " + i));
        }
        sent.add(Map.entry(room, "@" + name + " you"));
        Server.postAsFastAsReceiptsCome(sent, WINDOW);
        try (WsClient phone = WsClient.hello(Server.ws(), ann.getString("token"))) {
            phone.send(WsClient.send("own", room, "note to self, @" + name, "own"));
            phone.reply("own", "receipt");
        }

        JsonObject welcomed = welcomeAfter(ann, resume).get(room);
        assertEquals(MessageStore.MENTIONS_CHECKED + 1, welcomed.getInt("unread"));
        assertEquals(1, welcomed.getInt("mentions"));
    }

    /**
     * A page holds what a quarter of the reader's outbound queue takes (the test servers' queue is 256 Ki
     * characters): history of 300 messages of 1,000 characters, some 350,000 in one frame, closed the reader
     * with 4008 for asking. Now it comes in pages of the newest first, and the reader stays.
     */
    @Test
    void historyOfLongMessagesComesInPagesTheReadersQueueTakes() throws Exception {
        String room = Server.unique("long");
        List<Map.Entry<String, String>> sent = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            sent.add(Map.entry(room, String.format(Locale.ROOT, "%04d ", i) + "x".repeat(995)));
        }
        Server.postAsFastAsReceiptsCome(sent, 50);

        try (WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
            List<String> texts = new ArrayList<>();
            Long before = null;
            for (int page = 0; ; page++) {
                JsonObjectBuilder ask = WsClient.frame("history").add("ref", "h" + page).add("room", room)
                        .add("limit", 500);
                ann.send(before == null ? ask : ask.add("before", before));
                JsonObject messages = ann.replyOrClose("h" + page);
                assertTrue(messages != null, "asking for history closed the reader with " + ann.closeCode());
                List<JsonObject> items = messages.getJsonArray("items").getValuesAs(JsonObject.class);
                assertTrue(items.size() < 300, "a page of " + items.size());
                texts.addAll(0, items.stream().map(m -> m.getString("text")).toList());
                if (!messages.getBoolean("more")) {
                    break;
                }
                before = items.get(0).getJsonNumber("seq").longValue();
            }
            assertEquals(sent.stream().map(Map.Entry::getValue).toList(), texts, "every message once, in order");
        }
    }

    /** The user joins the rooms; returns the resume of a client that has seen every message the tests send. */
    private static JsonObject joinedBy(JsonObject user, List<String> rooms) throws Exception {
        return joinedBy(user, rooms, MessageStore.MENTIONS_CHECKED + 1);
    }

    /** The user joins the rooms; the answer is a {@code resume} at {@code seq} in each. */
    private static JsonObject joinedBy(JsonObject user, List<String> rooms, long seq) throws Exception {
        JsonObjectBuilder resume = Json.createObjectBuilder();
        try (WsClient phone = WsClient.hello(Server.ws(), user.getString("token"))) {
            for (String room : rooms) {
                phone.send(WsClient.frame("join").add("ref", room).add("room", room));
                resume.add(room, Json.createObjectBuilder().add("seq", seq)
                        .add("epoch", phone.reply(room, "joined").getString("epoch")));
            }
        }
        return resume.build();
    }

    /** The guest connected, and a member of the rooms (the owner of those it makes). */
    private static WsClient inRooms(JsonObject guest, String... rooms) {
        WsClient client = WsClient.hello(Server.ws(), guest.getString("token"));
        for (String room : rooms) {
            client.send(WsClient.frame("join").add("ref", room).add("room", room));
            client.reply(room, "joined");
        }
        return client;
    }

    /** The rooms of the welcome to a client of the user that resumes at {@code resume}: nothing is replayed. */
    private static Map<String, JsonObject> welcomeAfter(JsonObject user, JsonObject resume) {
        try (WsClient laptop = WsClient.connect(Server.ws())) {
            laptop.send(WsClient.frame("hello").add("token", user.getString("token")).add("resume", resume));
            return laptop.await("welcome").getJsonArray("rooms").getValuesAs(JsonObject.class).stream()
                    .collect(Collectors.toMap(room -> room.getString("room"), room -> room));
        }
    }

    /**
     * The test servers let a user be in 100 rooms (the default is 1,000): joining, an invite or a direct
     * conversation past that is refused, and leaving a room makes room for another.
     */
    @Test
    void aUserIsInAtMostTheCapOfRooms() throws Exception {
        String room = Server.unique("cap");
        JsonObject bob = Server.guest(Server.unique("bob"));
        try (AutoCloseable unlimited = Server.framesUnlimited()) {
            try (WsClient phone = WsClient.hello(Server.ws(), bob.getString("token"));
                 WsClient olga = WsClient.joined(Server.unique("olga"), room + "-olga")) {
                Set<String> refs = new HashSet<>();
                for (int i = 1; i <= 100; i++) {
                    phone.send(WsClient.frame("join").add("ref", "j" + i).add("room", room + "-" + i));
                    refs.add("j" + i);
                }
                phone.replies(refs, "joined");

                phone.send(WsClient.frame("join").add("ref", "past").add("room", room + "-101"));
                JsonObject refused = phone.reply("past", "error");
                assertEquals("forbidden", refused.getString("code"));
                assertEquals("you are in 100 rooms, as many as one may be: leave one first",
                        refused.getString("message"));
                phone.send(WsClient.frame("join").add("ref", "theirs").add("room", room + "-olga"));
                assertEquals("forbidden", phone.reply("theirs", "error").getString("code"), "a room that exists");
                phone.send(WsClient.frame("dm").add("ref", "mine").add("user", olga.user()));
                assertEquals("forbidden", phone.reply("mine", "error").getString("code"), "a dm of one's own");
                olga.send(WsClient.frame("invite").add("ref", "i").add("room", room + "-olga")
                        .add("user", bob.getString("user")));
                assertEquals("conflict", olga.reply("i", "error").getString("code"));
                olga.send(WsClient.frame("dm").add("ref", "d").add("user", bob.getString("user")));
                assertEquals(bob.getString("user") + " is in 100 rooms, as many as one may be",
                        olga.reply("d", "error").getString("message"));

                phone.send(WsClient.frame("leave").add("ref", "l").add("room", room + "-1"));
                phone.reply("l", "left");
                olga.send(WsClient.frame("invite").add("ref", "i2").add("room", room + "-olga")
                        .add("user", bob.getString("user")));
                olga.reply("i2", "ok");
            }
        }
        try (WsClient laptop = WsClient.connect(Server.ws())) {
            laptop.send(WsClient.frame("hello").add("token", bob.getString("token")));
            List<String> rooms = laptop.await("welcome").getJsonArray("rooms").getValuesAs(JsonObject.class).stream()
                    .map(r -> r.getString("room")).toList();
            assertEquals(100, rooms.size(), rooms.toString());
            assertTrue(rooms.contains(room + "-olga"), rooms.toString());
            assertFalse(rooms.contains(room + "-1") || rooms.contains(room + "-101"), rooms.toString());
        }
    }

    /** PostgreSQL cannot store a NUL: a send holding one is refused alone, and one sent with it is stored. */
    @Test
    void aTextWithNulIsRefusedAndTheSendsBesideItAreStored() throws Exception {
        String room = Server.unique("nul");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            ann.sendText("{\"type\":\"send\",\"ref\":\"n\",\"room\":\"" + room
                    + "\",\"text\":\"a\\u0000b\",\"clientMsgId\":\"n1\"}");
            bob.send(WsClient.send("b", room, "beside it", "b1"));
            bob.reply("b", "receipt");
            // The two connections' frames are handled side by side: ann may get bob's message before her refusal.
            Map<String, JsonObject> got = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                JsonObject frame = ann.await(null, f -> "n".equals(f.getString("ref", null))
                        || f.getString("type").equals("message") && room.equals(f.getString("room", null)));
                got.put(frame.getString("type"), frame);
            }
            assertEquals(Set.of("error", "message"), got.keySet(), ann.seen().toString());
            assertEquals("bad_request", got.get("error").getString("code"));
            assertEquals("text must not contain the character NUL", got.get("error").getString("message"));
            assertEquals("beside it", got.get("message").getString("text"));
        }
    }

    @Test
    void aResentClientMsgIdGetsTheOriginalReceiptAndNoSecondMessage() throws Exception {
        String room = Server.unique("idem");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            ann.send(WsClient.send("r1", room, "once", "same-id"));
            JsonObject first = ann.reply("r1", "receipt");
            ann.send(WsClient.send("r2", room, "once", "same-id"));
            JsonObject again = ann.reply("r2", "receipt");
            assertEquals(first.getJsonNumber("seq"), again.getJsonNumber("seq"));
            assertEquals(first.getString("id"), again.getString("id"));
            assertEquals(first.getString("ts"), again.getString("ts"));

            ann.send(WsClient.send("r3", room, "twice", "other-id"));
            JsonObject next = ann.reply("r3", "receipt");
            assertEquals(first.getJsonNumber("seq").longValue() + 1, next.getJsonNumber("seq").longValue(),
                    "the resend took no seq");
            bob.await("message", m -> m.getString("text").equals("twice"));
            List<JsonObject> onceSeen = bob.seen().stream()
                    .filter(f -> f.getString("type").equals("message") && f.getString("text").equals("once")).toList();
            assertEquals(1, onceSeen.size(), "bob got the message once: " + bob.seen());
        }
    }

    /**
     * A resend after a lost receipt is an everyday event (a reconnect): an operator must not find a warning with a
     * stack trace in the log for each. Payara's log only: WildFly's is its own.
     */
    @Test
    @Tag("payara-log")
    void aResendLeavesNoWarningInTheServerLog() throws Exception {
        String room = Server.unique("quiet");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
            String before = ServerLog.mark("resend-before");
            ann.send(WsClient.send("r1", room, "once", "quiet-id"));
            ann.reply("r1", "receipt");
            ann.send(WsClient.send("r2", room, "once", "quiet-id"));
            ann.reply("r2", "receipt");
            ServerLog.assertNoWarningSince(before);
        }
    }

    /**
     * A frame too big is the client's doing: it is closed with 1009, and the server's log has no warning for it.
     * Payara's log only.
     */
    @Test
    @Tag("payara-log")
    void aFrameTooBigLeavesNoWarningInTheServerLog() throws Exception {
        try (WsClient ann = WsClient.hello(Server.ws(), Server.guest(Server.unique("ann")).getString("token"))) {
            String before = ServerLog.mark("too-big-before");
            ann.sendText("{\"type\":\"ping\",\"pad\":\"" + "y".repeat(64 * 1024) + "\"}");
            assertEquals(1009, ann.awaitClose(WsClient.WAIT));
            ServerLog.assertNoWarningSince(before);
        }
    }

    @Test
    void historyReturnsWhatWasSentInSeqOrder() throws Exception {
        String room = Server.unique("history");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
            for (int i = 1; i <= 5; i++) {
                ann.send(WsClient.send("h" + i, room, "line " + i, "hist-" + i));
                ann.reply("h" + i, "receipt");
            }
            ann.send(WsClient.frame("history").add("ref", "q1").add("room", room).add("limit", 3).build());
            JsonObject page = ann.reply("q1", "messages");
            assertEquals(List.of("line 3", "line 4", "line 5"), texts(page));
            assertTrue(page.getBoolean("more"));

            long oldest = page.getJsonArray("items").getJsonObject(0).getJsonNumber("seq").longValue();
            ann.send(WsClient.frame("history").add("ref", "q2").add("room", room).add("before", oldest).build());
            JsonObject older = ann.reply("q2", "messages");
            assertEquals(List.of("line 1", "line 2"), texts(older));
            assertFalse(older.getBoolean("more"));

            ann.send(WsClient.frame("sync").add("ref", "q3").add("room", room).add("after", oldest).build());
            assertEquals(List.of("line 4", "line 5"), texts(ann.reply("q3", "messages")));
        }
    }

    @Test
    void aForeignOriginIsRefusedWith403() throws Exception {
        CompletionException refused = assertThrows(CompletionException.class,
                () -> WsClient.connect(Server.ws(), "http://evil.example"));
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
        assertEquals(403, handshake.getResponse().statusCode());
        try (Socket socket = new Socket()) {
            RawUpgrade.connect(socket);
            socket.setSoTimeout(10_000);
            String head = RawUpgrade.upgrade(socket, "Origin: http://evil.example");
            assertEquals(403, RawUpgrade.status(head));
            assertEquals("{\"error\":\"forbidden\",\"message\":\"origin not allowed\"}", RawUpgrade.body(socket, head));
        }

        String sameOrigin = "http://127.0.0.1:" + System.getProperty("it.http.port");
        JsonObject ann = Server.guest(Server.unique("ann"));
        for (String origin : List.of(sameOrigin, "http://allowed.example")) {
            try (WsClient client = WsClient.connect(Server.ws(), origin)) {
                client.send(WsClient.frame("hello").add("ref", "h").add("token", ann.getString("token")).build());
                assertEquals(ann.getString("user"), client.reply("h", "welcome").getString("user"), origin + " passes");
            }
        }
    }

    @Test
    void noHelloInTimeIsClosedWith4401() {
        long start = System.nanoTime();
        try (WsClient quiet = WsClient.connect(Server.ws())) {
            assertEquals(4401, quiet.awaitClose(Duration.ofSeconds(15)));
            // The test server gives 3 s for hello; a close much earlier would cut off honest clients.
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 2500);
        }
    }

    @Test
    void aSilentClientIsClosedWith4001AndGoesOfflineForOthers() throws Exception {
        String room = Server.unique("silence");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room);
             WsClient.Pinging annPings = ann.pingEverySecond()) {
            long quietSince = System.nanoTime(); // bob's last frame, the join, was read before this
            String bobUser = bob.user();
            // The contract cuts silence at 2 x heartbeat + 5 s (9 s with the test server's heartbeat of 2 s).
            long silenceMillis = (2L * bob.seen().get(0).getInt("heartbeat") + 5) * 1000;
            assertEquals(4001, bob.awaitClose(Duration.ofSeconds(20)));
            long quietMillis = (System.nanoTime() - quietSince) / 1_000_000;
            // Less a second for the join's round trip, which began bob's silence before quietSince.
            assertTrue(quietMillis >= silenceMillis - 1000, "closed after " + quietMillis + " ms of silence");
            JsonObject offline = ann.await("presence",
                    p -> p.getString("user").equals(bobUser) && !p.getBoolean("online"));
            assertEquals(1, offline.getInt("count"));
            assertFalse(ann.isClosed(), "a client that pings stays");
        }
    }

    @Test
    void malformedFramesGetBadRequestAndTheConnectionStays() throws Exception {
        String room = Server.unique("bad");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
            ann.sendText("not json at all");
            assertEquals("bad_request", ann.await("error").getString("code"));
            ann.sendText("{\"type\":\"shout\",\"ref\":\"u1\"}");
            assertEquals("bad_request", ann.reply("u1", "error").getString("code"));
            ann.sendText("{\"type\":\"send\",\"ref\":\"u2\",\"room\":\"" + room + "\"}");
            assertEquals("bad_request", ann.reply("u2", "error").getString("code"));
            ann.sendText("{\"type\":\"ack\",\"ref\":\"u3\",\"room\":\"" + room + "\",\"seq\":\"ten\"}");
            assertEquals("bad_request", ann.reply("u3", "error").getString("code"));

            ann.send(WsClient.send("ok", room, "still here", "after-bad"));
            assertEquals(room, ann.reply("ok", "receipt").getString("room"));
        }
    }

    @Test
    void textsAndFramesAreLimited() throws Exception {
        String room = Server.unique("limits");
        int maxText = Limits.DEFAULTS.maxTextChars();
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
            ann.send(WsClient.send("at", room, "x".repeat(maxText), "edge-at"));
            assertEquals(room, ann.reply("at", "receipt").getString("room"));
            ann.send(WsClient.send("past", room, "x".repeat(maxText + 1), "edge-past"));
            assertEquals("too_large", ann.reply("past", "error").getString("code"));

            ann.sendText(WsClient.padded("at", Limits.DEFAULTS.maxFrameBytes()));
            ann.reply("at", "pong");
            ann.sendText(WsClient.padded("past", Limits.DEFAULTS.maxFrameBytes() + 1));
            assertEquals(1009, ann.awaitClose(WsClient.WAIT));
        }
    }

    @Test
    void framesForRoomsTheUserIsNotInAreRefused() throws Exception {
        String room = Server.unique("private");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient eve = WsClient.hello(Server.ws(), Server.guest(Server.unique("eve")).getString("token"))) {
            eve.send(WsClient.send("e1", room, "let me in", "eve-1"));
            assertEquals("not_member", eve.reply("e1", "error").getString("code"));
            eve.send(WsClient.frame("history").add("ref", "e2").add("room", room).build());
            assertEquals("not_member", eve.reply("e2", "error").getString("code"));
            eve.send(WsClient.frame("leave").add("ref", "e3").add("room", room).build());
            assertEquals("not_member", eve.reply("e3", "error").getString("code"));
        }
    }

    @Test
    void membershipIsDurableAcrossConnections() throws Exception {
        String room = Server.unique("durable");
        String token = Server.guest(Server.unique("ann")).getString("token");
        try (WsClient first = WsClient.hello(Server.ws(), token)) {
            first.send(WsClient.frame("join").add("ref", "j").add("room", room).build());
            assertEquals("owner", first.reply("j", "joined").getString("role"));
            first.send(WsClient.send("s", room, "for later", "later-1"));
            first.reply("s", "receipt");
        }
        try (WsClient second = WsClient.connect(Server.ws())) {
            second.send(WsClient.frame("hello").add("ref", "h").add("token", token).build());
            JsonObject state = roomIn(second.reply("h", "welcome"), room);
            assertEquals(List.of(1, 0, 0), List.of(state.getInt("seq"), state.getInt("read"), state.getInt("unread")),
                    "not acked, yet one's own message is no news");
            second.send(WsClient.frame("ack").add("room", room).add("seq", 1).build());
            second.send(WsClient.send("s2", room, "no join needed", "later-2"));
            assertEquals(2, second.reply("s2", "receipt").getInt("seq"));
        }
        try (WsClient third = WsClient.hello(Server.ws(), token)) {
            assertEquals(1, roomIn(third.seen().get(0), room).getInt("read"), "the ack moved the read marker");
        }
        // Somebody who joins later has read up to the room's seq then: what came before is history, not unread.
        String bobsToken = Server.guest(Server.unique("bob")).getString("token");
        try (WsClient bob = WsClient.hello(Server.ws(), bobsToken)) {
            bob.send(WsClient.frame("join").add("ref", "j").add("room", room).build());
            assertEquals(2, bob.reply("j", "joined").getInt("seq"));
        }
        try (WsClient ann = WsClient.hello(Server.ws(), token)) {
            ann.send(WsClient.send("s3", room, "welcome, bob", "later-3"));
            ann.reply("s3", "receipt");
            ann.send(WsClient.frame("react").add("ref", "r").add("room", room).add("seq", 3).add("emoji", "👋")
                    .build());
            ann.reply("r", "ok");
        }
        try (WsClient bobsPhone = WsClient.hello(Server.ws(), bobsToken)) {
            JsonObject state = roomIn(bobsPhone.seen().get(0), room);
            assertEquals(List.of(4, 2, 1), List.of(state.getInt("seq"), state.getInt("read"), state.getInt("unread")),
                    "ann's line is unread, not her reaction to it");
            assertEquals(List.of(3L, 4L), WsClient.seqs(bobsPhone.untilSynced(room)), "no history replayed");
        }
    }

    /**
     * A client showing another room acks the messages it holds with {@code read}: they stay unread for the next
     * welcome, and are not replayed to a device without a position, as the devices had them already.
     */
    @Test
    void anAckWithReadKeepsWhatWasNotSeenUnread() throws Exception {
        String room = Server.unique("unseen");
        String annsToken = Server.guest(Server.unique("ann")).getString("token");
        String bobsToken = Server.guest(Server.unique("bob")).getString("token");
        try (WsClient ann = WsClient.hello(Server.ws(), annsToken);
             WsClient bob = WsClient.hello(Server.ws(), bobsToken)) {
            ann.send(WsClient.frame("join").add("ref", "j").add("room", room).build());
            ann.reply("j", "joined");
            bob.send(WsClient.frame("join").add("ref", "j").add("room", room).build());
            bob.reply("j", "joined");
            for (int i = 1; i <= 3; i++) {
                ann.send(WsClient.send("s" + i, room, "@" + bob.user() + " line " + i, "line-" + i));
                ann.reply("s" + i, "receipt");
            }
            bob.await("message", m -> m.getInt("seq") == 3);
            bob.send(WsClient.frame("ack").add("ref", "past").add("room", room).add("seq", 3).add("read", 4).build());
            assertEquals("bad_request", bob.reply("past", "error").getString("code"), "read past seq");
            bob.send(WsClient.frame("ack").add("room", room).add("seq", 3).add("read", 1).build());
            bob.send(WsClient.frame("ping").add("ref", "after-ack").build());
            bob.reply("after-ack", "pong"); // frames are handled in order: the ack is in
        }
        try (WsClient laptop = WsClient.hello(Server.ws(), bobsToken)) {
            JsonObject state = roomIn(laptop.seen().get(0), room);
            assertEquals(List.of(3, 1, 2, 2), List.of(state.getInt("seq"), state.getInt("read"),
                    state.getInt("unread"), state.getInt("mentions")), "lines 2 and 3 are still to be read");
            assertEquals(List.of(), WsClient.seqs(laptop.untilSynced(room)), "the devices had them: no replay");
            laptop.send(WsClient.frame("ack").add("room", room).add("seq", 3).build());
            laptop.send(WsClient.frame("ping").add("ref", "after-ack").build());
            laptop.reply("after-ack", "pong");
        }
        try (WsClient phone = WsClient.hello(Server.ws(), bobsToken)) {
            JsonObject state = roomIn(phone.seen().get(0), room);
            assertEquals(List.of(3, 0), List.of(state.getInt("read"), state.getInt("unread")), "an ack reads");
        }
    }

    /** What a user reads on one connection, the others are told (once the marker is written), not the reader. */
    @Test
    void theUsersOtherConnectionsAreToldWhatWasRead() throws Exception {
        String room = Server.unique("told");
        String token = Server.guest(Server.unique("ann")).getString("token");
        try (WsClient laptop = WsClient.hello(Server.ws(), token);
             WsClient phone = WsClient.hello(Server.ws(), token)) {
            laptop.send(WsClient.frame("join").add("ref", "j").add("room", room).build());
            laptop.reply("j", "joined");
            phone.await("joined", j -> j.getString("room").equals(room));
            laptop.send(WsClient.send("s", room, "a note", "note-1"));
            long seq = laptop.reply("s", "receipt").getJsonNumber("seq").longValue();
            phone.await("message", m -> m.getJsonNumber("seq").longValue() == seq);

            phone.send(WsClient.frame("ack").add("room", room).add("seq", seq).build());
            JsonObject read = laptop.await("read");
            assertEquals(List.of(room, seq), List.of(read.getString("room"), read.getJsonNumber("seq").longValue()));
            phone.send(WsClient.frame("ping").add("ref", "p").build());
            phone.reply("p", "pong");
            assertTrue(phone.seen().stream().noneMatch(f -> f.getString("type").equals("read")), "not the reader");
        }
    }

    private static JsonObject roomIn(JsonObject welcome, String room) {
        return welcome.getJsonArray("rooms").getValuesAs(JsonObject.class).stream()
                .filter(r -> r.getString("room").equals(room)).findFirst().orElseThrow();
    }

    /**
     * The directory lists the public and password rooms anybody may join, a page at a time, not the invite-only
     * ones. A prefix is the start of a name in any case, and its "_" is itself, not the database's any character.
     */
    @Test
    void theDirectoryListsTheRoomsAnybodyMayJoinAPageAtATime() throws Exception {
        String prefix = Server.unique("Dir");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), prefix + "-a");
             WsClient bob = WsClient.joined(Server.unique("bob"), prefix + "-a")) {
            ann.send(WsClient.frame("join").add("ref", "jb").add("room", prefix + "-b"));
            ann.reply("jb", "joined");
            ann.send(WsClient.frame("access").add("ref", "ab").add("room", prefix + "-b").add("access", "password")
                    .add("password", "a secret"));
            ann.reply("ab", "ok");
            ann.send(WsClient.frame("join").add("ref", "jc").add("room", prefix + "-c"));
            ann.reply("jc", "joined");
            ann.send(WsClient.frame("access").add("ref", "ac").add("room", prefix + "-c").add("access", "invite"));
            ann.reply("ac", "ok");

            String lowerCase = prefix.toLowerCase(Locale.ROOT);
            bob.send(WsClient.frame("directory").add("ref", "d1").add("prefix", lowerCase).add("limit", 1));
            JsonObject first = bob.reply("d1", "directory");
            assertEquals(List.of(prefix + "-a public 2"), listed(first));
            assertTrue(first.getBoolean("more"));
            bob.send(WsClient.frame("directory").add("ref", "d2").add("prefix", lowerCase).add("after", prefix + "-a"));
            JsonObject second = bob.reply("d2", "directory");
            assertEquals(List.of(prefix + "-b password 1"), listed(second), "the invite-only room is not listed");
            assertFalse(second.getBoolean("more"));
            bob.send(WsClient.frame("directory").add("ref", "d3").add("prefix", "Dir_"));
            assertEquals(List.of(), listed(bob.reply("d3", "directory")), "no room's name starts with Dir_");
        }
    }

    /**
     * A topic the owner sets reaches the room as a message of its own, and comes with the joins, welcomes and
     * directory pages after it. The longest, of characters past 16 bits, fits the column on either database.
     */
    @Test
    void aTopicReachesTheRoomAndComesWithJoinsWelcomesAndTheDirectory() throws Exception {
        String room = Server.unique("Topic");
        String longest = "\uD83C\uDF89".repeat(300);
        String bobsToken = Server.guest(Server.unique("bob")).getString("token");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.hello(Server.ws(), bobsToken)) {
            bob.send(WsClient.frame("join").add("ref", "j").add("room", room));
            bob.reply("j", "joined");
            ann.send(WsClient.frame("topic").add("ref", "t").add("room", room)
                    .add("text", " Saturday: \"bring snacks\" "));
            ann.reply("t", "ok");
            JsonObject told = bob.await("message", m -> m.getString("kind").equals("topic"));
            assertEquals("Saturday: \"bring snacks\"", told.getString("text"));
            assertEquals(ann.user(), told.getString("from"));
            ann.send(WsClient.frame("topic").add("ref", "long").add("room", room).add("text", longest + "!"));
            assertEquals("too_large", ann.reply("long", "error").getString("code"));
            ann.send(WsClient.frame("topic").add("ref", "longest").add("room", room).add("text", longest));
            ann.reply("longest", "ok");
            bob.send(WsClient.frame("topic").add("ref", "member").add("room", room).add("text", "mine"));
            assertEquals("forbidden", bob.reply("member", "error").getString("code"));
        }
        try (WsClient cy = WsClient.joined(Server.unique("cy"), room);
             WsClient bobAgain = WsClient.hello(Server.ws(), bobsToken)) {
            assertEquals(longest, cy.seen().stream().filter(f -> f.getString("type").equals("joined")).findFirst()
                    .orElseThrow().getString("topic"));
            assertEquals(longest, bobAgain.seen().get(0).getJsonArray("rooms").getJsonObject(0).getString("topic"));
            cy.send(WsClient.frame("directory").add("ref", "d").add("prefix", room));
            assertEquals(longest, cy.reply("d", "directory").getJsonArray("items").getJsonObject(0)
                    .getString("topic"));
            cy.send(WsClient.frame("history").add("ref", "h").add("room", room));
            assertEquals(List.of("topic", "topic"), cy.reply("h", "messages").getJsonArray("items")
                    .getValuesAs(JsonObject.class).stream().map(m -> m.getString("kind")).toList(),
                    "each topic set is a message of the room; the refused one is none");
        }
    }

    /**
     * The owner archives the room: a line says who did it, the members' connections are told, nothing more is sent
     * there, a newcomer stays out, and the members read on. A moderator may not, nor may the owner twice.
     */
    @Test
    void anOwnerArchivesTheRoomForEverybody() throws Exception {
        String room = Server.unique("archived");
        String open = Server.unique("open");
        JsonObject annGuest = Server.guest(Server.unique("ann"));
        try (WsClient ann = inRooms(annGuest, room, open);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            ann.send(WsClient.frame("role").add("ref", "r").add("room", room).add("user", bob.user())
                    .add("role", "moderator"));
            ann.reply("r", "ok");
            bob.send(WsClient.frame("archive").add("ref", "moderator").add("room", room));
            assertEquals("forbidden", bob.reply("moderator", "error").getString("code"));
            bob.send(WsClient.send("s", room, "said before", "before-1"));
            bob.reply("s", "receipt");

            ann.send(WsClient.frame("archive").add("ref", "a").add("room", room));
            ann.reply("a", "ok");
            String archived = ann.user() + " archived the room: it is read-only now.";
            JsonObject line = bob.await("message", m -> m.getString("text").equals(archived));
            assertEquals("system", line.getString("from"));
            assertTrue(bob.await("archived").getBoolean("archived"), "an open page is told at once");
            bob.send(WsClient.send("after", room, "anybody there?", "after-1"));
            assertEquals("forbidden", bob.reply("after", "error").getString("code"));
            ann.send(WsClient.frame("archive").add("ref", "again").add("room", room));
            assertEquals("conflict", ann.reply("again", "error").getString("code"));
            bob.send(WsClient.frame("join").add("ref", "j").add("room", room));
            assertTrue(bob.reply("j", "joined").getBoolean("archived"), "a member's join says it is archived");
            bob.send(WsClient.frame("history").add("ref", "h").add("room", room));
            assertEquals(List.of(ann.user() + " made " + bob.user() + " a moderator", "said before", archived),
                    bob.reply("h", "messages").getJsonArray("items").getValuesAs(JsonObject.class).stream()
                            .map(m -> m.getString("text")).toList(), "the members read on");
        }
        Map<String, JsonObject> listed = welcomeAfter(annGuest, Json.createObjectBuilder().build());
        assertTrue(listed.get(room).getBoolean("archived"), "a welcome says which rooms are archived");
        assertFalse(listed.get(open).containsKey("archived"), "and of an open one, nothing");
        try (WsClient cy = WsClient.hello(Server.ws(), Server.guest(Server.unique("cy")).getString("token"))) {
            cy.send(WsClient.frame("join").add("ref", "j").add("room", room));
            assertEquals("forbidden", cy.reply("j", "error").getString("code"));
        }
    }

    /**
     * A member finds the room's messages that hold a text: ASCII in any case, other letters as written (whatever
     * the database's locale lowers), "%" and "_" as themselves; a page at a time, going on below it.
     */
    @Test
    void aSearchFindsTheMessagesThatHoldTheTextAPageAtATime() throws Exception {
        String room = Server.unique("search");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
            List<String> texts = List.of("Lunch at noon?", "Été à Paris", "no LUNCH for me", "50% off lunch_box",
                    "50 percent off lunchbox", "dinner");
            for (int i = 0; i < texts.size(); i++) {
                ann.send(WsClient.send("s" + i, room, texts.get(i), "search-" + i));
                ann.reply("s" + i, "receipt");
            }
            assertEquals(List.of("no LUNCH for me", "50% off lunch_box", "50 percent off lunchbox"),
                    found(ann, room, "lunch", null, 3).items());
            Found first = found(ann, room, "LUNCH", null, 2);
            assertEquals(List.of("50% off lunch_box", "50 percent off lunchbox"), first.items());
            assertEquals(List.of("Lunch at noon?", "no LUNCH for me"), found(ann, room, "lunch", first.before(), 2)
                    .items(), "the next page goes on below the first");
            assertEquals(List.of("50% off lunch_box"), found(ann, room, "% off lunch_", null, null).items());
            assertEquals(List.of("Été à Paris"), found(ann, room, "Été", null, null).items());
            assertEquals(List.of("Été à Paris"), found(ann, room, "paris", null, null).items());
            ann.send(WsClient.frame("search").add("ref", "blank").add("room", room).add("text", "  "));
            assertEquals("bad_request", ann.reply("blank", "error").getString("code"));
        }
    }

    /**
     * One search reads the room's newest {@value MessageStore#SEARCH_SCANNED} seqs, through the store's own query: a
     * match at the oldest of them is found, one just below it is the next search's.
     */
    @Test
    void aSearchReadsTheNewestSeqsAndTheNextGoesOnBelowThem() throws Exception {
        String room = Server.unique("haystack");
        int scanned = MessageStore.SEARCH_SCANNED;
        List<Map.Entry<String, String>> sent = new ArrayList<>();
        sent.add(Map.entry(room, "needle just below"));
        sent.add(Map.entry(room, "needle at the edge"));
        for (int i = 2; i < scanned; i++) {
            sent.add(Map.entry(room, "hay " + i));
        }
        sent.add(Map.entry(room, "needle on top"));
        Server.postAsFastAsReceiptsCome(sent, WINDOW);
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
            Found newest = found(ann, room, "needle", null, null);
            assertEquals(new Found(List.of("needle at the edge", "needle on top"), 2L), newest,
                    "seqs 2 to " + (scanned + 1) + " read");
            assertEquals(new Found(List.of("needle just below"), null), found(ann, room, "needle", 2L, null));
        }
    }

    /**
     * The owner pins messages: the room is told, and every member lists them as they read now (an edit's new text,
     * characters past 16 bits), until one is unpinned or its message deleted.
     */
    @Test
    void pinnedMessagesAreListedAsTheyReadNowUntilUnpinnedOrDeleted() throws Exception {
        String room = Server.unique("pins");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            ann.send(WsClient.send("s1", room, "Rules: be kind", "pins-1"));
            long rules = ann.reply("s1", "receipt").getJsonNumber("seq").longValue();
            bob.send(WsClient.send("s2", room, "party at eight \uD83C\uDF89", "pins-2"));
            long party = bob.reply("s2", "receipt").getJsonNumber("seq").longValue();

            ann.send(WsClient.frame("pin").add("ref", "p1").add("room", room).add("seq", rules));
            ann.reply("p1", "ok");
            JsonObject told = bob.await("message", m -> m.getString("kind").equals("pinned"));
            assertEquals(List.of(ann.user(), rules), List.of(told.getString("from"),
                    told.getJsonNumber("target").longValue()));
            bob.send(WsClient.frame("pin").add("ref", "p2").add("room", room).add("seq", party));
            assertEquals("forbidden", bob.reply("p2", "error").getString("code"), "a member pins nothing");
            ann.send(WsClient.frame("pin").add("ref", "p3").add("room", room).add("seq", party));
            ann.reply("p3", "ok");
            ann.send(WsClient.frame("edit").add("ref", "e").add("room", room).add("seq", rules)
                    .add("text", "Rules: be kind, stay on topic"));
            ann.reply("e", "ok");
            assertEquals(List.of("Rules: be kind, stay on topic", "party at eight \uD83C\uDF89"), pins(bob, room));

            bob.send(WsClient.frame("delete").add("ref", "d").add("room", room).add("seq", party));
            bob.reply("d", "ok");
            assertEquals(List.of("Rules: be kind, stay on topic"), pins(bob, room), "deleted, it is unpinned");
            ann.send(WsClient.frame("unpin").add("ref", "u").add("room", room).add("seq", rules));
            ann.reply("u", "ok");
            assertEquals(rules, bob.await("message", m -> m.getString("kind").equals("unpinned"))
                    .getJsonNumber("target").longValue());
            assertEquals(List.of(), pins(bob, room));
        }
    }

    /** The store counts a room's pins under its row's lock: the 51st is refused until one comes off. */
    @Test
    void aRoomKeepsFiftyPinnedMessagesAtMost() throws Exception {
        String room = Server.unique("pinboard");
        try (AutoCloseable unlimited = Server.framesUnlimited()) {
            try (WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
                List<Long> seqs = new ArrayList<>();
                for (int i = 0; i <= MessageStore.MAX_PINS; i++) {
                    ann.send(WsClient.send("s" + i, room, "note " + i, "pinboard-" + i));
                    seqs.add(ann.reply("s" + i, "receipt").getJsonNumber("seq").longValue());
                }
                for (int i = 0; i < MessageStore.MAX_PINS; i++) {
                    ann.send(WsClient.frame("pin").add("ref", "p" + i).add("room", room).add("seq", seqs.get(i)));
                    ann.reply("p" + i, "ok");
                }
                long last = seqs.get(MessageStore.MAX_PINS);
                ann.send(WsClient.frame("pin").add("ref", "past").add("room", room).add("seq", last));
                JsonObject refused = ann.reply("past", "error");
                assertEquals("conflict", refused.getString("code"));
                assertEquals(room + " has 50 pinned messages, as many as a room may: unpin one first",
                        refused.getString("message"));
                assertEquals(MessageStore.MAX_PINS, pins(ann, room).size());
                ann.send(WsClient.frame("unpin").add("ref", "u").add("room", room).add("seq", seqs.get(0)));
                ann.reply("u", "ok");
                ann.send(WsClient.frame("pin").add("ref", "room").add("room", room).add("seq", last));
                ann.reply("room", "ok");
                assertEquals("note 50", pins(ann, room).get(MessageStore.MAX_PINS - 1), "the newest pinned last");
            }
        }
    }

    /**
     * Members react to a message: the room is told, history keeps each reaction (an emoji of seven code points whole),
     * the store counts a message's different emoji under the room row's lock (the 21st is refused, one of the twenty
     * taken), and a deletion takes them: the message takes none after it.
     */
    @Test
    void reactionsAreToldKeptAndCountedUntilTheirMessageIsDeleted() throws Exception {
        String room = Server.unique("reactions");
        try (AutoCloseable unlimited = Server.framesUnlimited()) {
            try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
                 WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
                ann.send(WsClient.send("s", room, "who is in for lunch?", "lunch-1"));
                long lunch = ann.reply("s", "receipt").getJsonNumber("seq").longValue();
                String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66";
                bob.send(react("r0", room, lunch, family));
                bob.reply("r0", "ok");
                JsonObject told = ann.await("message", m -> m.getString("kind").equals("reacted"));
                assertEquals(List.of(bob.user(), family, lunch), List.of(told.getString("from"),
                        told.getString("text"), told.getJsonNumber("target").longValue()));
                for (int i = 1; i < MessageStore.MAX_REACTIONS; i++) {
                    bob.send(react("r" + i, room, lunch, "e" + i));
                    bob.reply("r" + i, "ok");
                }
                ann.send(react("past", room, lunch, "new"));
                JsonObject refused = ann.reply("past", "error");
                assertEquals("conflict", refused.getString("code"));
                assertEquals("message " + lunch + " has 20 different reactions, as many as a message may: add one of"
                        + " those", refused.getString("message"));
                ann.send(react("same", room, lunch, family));
                ann.reply("same", "ok");

                ann.send(WsClient.frame("history").add("ref", "h").add("room", room));
                List<String> reactions = ann.reply("h", "messages").getJsonArray("items")
                        .getValuesAs(JsonObject.class).stream().filter(m -> m.getString("kind").equals("reacted"))
                        .map(m -> m.getString("from").equals(ann.user()) ? "ann " + m.getString("text")
                                : m.getString("text")).toList();
                assertEquals(MessageStore.MAX_REACTIONS + 1, reactions.size(), reactions.toString());
                assertEquals(List.of(family, "ann " + family), List.of(reactions.get(0), reactions.get(20)));
                // A search's answer carries them, read from the store: each emoji in the order first made.
                ann.send(WsClient.frame("search").add("ref", "f").add("room", room).add("text", "lunch"));
                List<JsonObject> standing = ann.reply("f", "found").getJsonArray("items").getJsonObject(0)
                        .getJsonArray("reactions").getValuesAs(JsonObject.class);
                assertEquals(MessageStore.MAX_REACTIONS, standing.size());
                assertEquals(List.of(family, "2", bob.user() + "," + ann.user()), List.of(
                        standing.get(0).getString("emoji"), String.valueOf(standing.get(0).getInt("count")),
                        standing.get(0).getJsonArray("users").getValuesAs(JsonString.class).stream()
                                .map(JsonString::getString).collect(Collectors.joining(","))));

                ann.send(WsClient.frame("delete").add("ref", "d").add("room", room).add("seq", lunch));
                ann.reply("d", "ok");
                bob.send(react("after", room, lunch, "e1"));
                assertEquals("not_found", bob.reply("after", "error").getString("code"));
            }
        }
    }

    /**
     * The owner of an invite-only room makes an invitation link: a user who is not invited joins with its code (the
     * stored link read by another transaction than the one that made it), and not after the owner removes it.
     */
    @Test
    void anInvitationLinkLetsItsHolderInUntilRemoved() throws Exception {
        String room = Server.unique("linked");
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room);
             WsClient bob = WsClient.hello(Server.ws(), Server.guest(Server.unique("bob")).getString("token"))) {
            ann.send(WsClient.frame("access").add("ref", "a").add("room", room).add("access", "invite"));
            ann.reply("a", "ok");
            ann.send(WsClient.frame("link").add("ref", "l").add("room", room).add("minutes", 10));
            JsonObject link = ann.reply("l", "link");
            String code = link.getString("code");
            assertTrue(Instant.parse(link.getString("expires")).isAfter(Instant.now().plusSeconds(9 * 60)),
                    link.toString());
            bob.send(WsClient.frame("join").add("ref", "j1").add("room", room));
            assertEquals("forbidden", bob.reply("j1", "error").getString("code"), "invite-only");
            bob.send(WsClient.frame("join").add("ref", "j2").add("room", room).add("code", code));
            assertEquals(room, bob.reply("j2", "joined").getString("room"));
            bob.send(WsClient.frame("leave").add("ref", "out").add("room", room));
            bob.reply("out", "left");

            ann.send(WsClient.frame("link").add("ref", "l2").add("room", room).add("minutes", 60));
            String other = ann.reply("l2", "link").getString("code");
            assertEquals(List.of(other + " " + ann.user(), code + " " + ann.user()), links(ann, room),
                    "the last to end first");
            ann.send(WsClient.frame("unlink").add("ref", "u").add("room", room).add("code", code));
            ann.reply("u", "ok");
            bob.send(WsClient.frame("join").add("ref", "j3").add("room", room).add("code", code));
            assertEquals("the invitation link is not valid: it expired, was removed, or is for another room",
                    bob.reply("j3", "error").getString("message"));
            ann.send(WsClient.frame("unlink").add("ref", "u2").add("room", room).add("code", code));
            assertEquals("not_found", ann.reply("u2", "error").getString("code"), "ended already");
            assertEquals(List.of(other + " " + ann.user()), links(ann, room));

            ann.send(WsClient.frame("unlink").add("ref", "all").add("room", room));
            ann.reply("all", "ok");
            assertEquals(List.of(), links(ann, room));
            bob.send(WsClient.frame("join").add("ref", "j4").add("room", room).add("code", other));
            assertEquals("forbidden", bob.reply("j4", "error").getString("code"));
        }
    }

    /** The room's links in force as {@code links} lists them: each code and who made it. */
    private static List<String> links(WsClient client, String room) {
        String ref = "links" + System.nanoTime();
        client.send(WsClient.frame("links").add("ref", ref).add("room", room));
        return client.reply(ref, "links").getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .map(link -> link.getString("code") + " " + link.getString("by")).toList();
    }

    /** The store counts a room's links in force under its row's lock: the 101st is refused until unlink. */
    @Test
    void aRoomHasAHundredInvitationLinksInForceAtMost() throws Exception {
        String room = Server.unique("links");
        try (AutoCloseable unlimited = Server.framesUnlimited();
             WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
            Set<String> codes = new HashSet<>();
            for (int i = 0; i < ModerationStore.MAX_LINKS; i++) {
                ann.send(WsClient.frame("link").add("ref", "l" + i).add("room", room));
                codes.add(ann.reply("l" + i, "link").getString("code"));
            }
            assertEquals(ModerationStore.MAX_LINKS, codes.size(), "each code its own");
            ann.send(WsClient.frame("link").add("ref", "past").add("room", room));
            assertEquals(room + " has 100 invitation links in force, as many as a room may: remove them with unlink,"
                    + " or wait for some to expire", ann.reply("past", "error").getString("message"));
            ann.send(WsClient.frame("unlink").add("ref", "u").add("room", room));
            ann.reply("u", "ok");
            ann.send(WsClient.frame("link").add("ref", "again").add("room", room));
            ann.reply("again", "link");
        }
    }

    private static JsonObjectBuilder react(String ref, String room, long seq, String emoji) {
        return WsClient.frame("react").add("ref", ref).add("room", room).add("seq", seq).add("emoji", emoji);
    }

    private static List<String> pins(WsClient client, String room) {
        String ref = "pins" + System.nanoTime();
        client.send(WsClient.frame("pins").add("ref", ref).add("room", room));
        return client.reply(ref, "pins").getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .map(m -> m.getString("text")).toList();
    }

    private record Found(List<String> items, Long before) {
    }

    private static Found found(WsClient client, String room, String text, Long before, Integer limit) {
        JsonObjectBuilder frame = WsClient.frame("search").add("ref", "q").add("room", room).add("text", text);
        if (before != null) {
            frame.add("before", before);
        }
        if (limit != null) {
            frame.add("limit", limit);
        }
        client.send(frame);
        JsonObject found = client.reply("q", "found");
        return new Found(found.getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .map(m -> m.getString("text")).toList(),
                found.containsKey("before") ? found.getJsonNumber("before").longValue() : null);
    }

    private static List<String> listed(JsonObject directory) {
        return directory.getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .map(r -> r.getString("room") + " " + r.getString("access") + " " + r.getJsonNumber("members"))
                .toList();
    }

    /**
     * Every browser offers permessage-deflate. Parley takes up no extension: a message's frame is built once
     * for all its readers, which compressing per connection would undo (docs/deployment.md, "Tuning").
     */
    @Test
    void aClientOfferingPermessageDeflateGetsTheSubprotocolAndUncompressedFrames() throws Exception {
        try (Socket socket = new Socket()) {
            RawUpgrade.connect(socket);
            socket.setSoTimeout(10_000);
            String head = RawUpgrade.upgrade(socket, "Sec-WebSocket-Protocol: parley.v1",
                    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits");
            assertEquals(101, RawUpgrade.status(head), head);
            String headers = head.toLowerCase(Locale.ROOT);
            assertTrue(headers.contains("sec-websocket-protocol: parley.v1"), head);
            assertFalse(headers.contains("sec-websocket-extensions"), "no extension negotiated: " + head);
        }
    }

    private static List<String> texts(JsonObject messages) {
        return messages.getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .map(m -> m.getString("text")).toList();
    }
}
