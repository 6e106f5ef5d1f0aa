package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.bind.annotation.JsonbSubtype;
import jakarta.json.bind.annotation.JsonbTypeInfo;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FramesTest {

    private static final Instant TS = Instant.parse("2026-11-22T08:00:00.123Z");

    /** One example of every client frame, with every field set. */
    private static final List<ClientFrame> CLIENT = List.of(
            new ClientFrame.Hello("r1", "tok", Map.of("lobby", new ClientFrame.Position(4L, "e1"))),
            new ClientFrame.Join("r2", "lobby", "secret", "c0de"),
            new ClientFrame.Leave("r3", "lobby"),
            new ClientFrame.Send("r4", "lobby", "hi <b>", "c-1", 3L),
            new ClientFrame.Ack("r5", "lobby", 7L, 5L),
            new ClientFrame.Sync("r6", "lobby", 0L, 50),
            new ClientFrame.History("r7", "lobby", 9L, 20),
            new ClientFrame.Typing("r8", "lobby"),
            new ClientFrame.Ping("r9", new BigDecimal("1732262400123")),
            new ClientFrame.SetAccess("r10", "lobby", "password", "secret"),
            new ClientFrame.Invite("r11", "lobby", "bob"),
            new ClientFrame.SetRole("r12", "lobby", "bob", "moderator"),
            new ClientFrame.Ban("r13", "lobby", "eve"),
            new ClientFrame.Unban("r14", "lobby", "eve"),
            new ClientFrame.Edit("r15", "lobby", 3L, "hello"),
            new ClientFrame.Delete("r16", "lobby", 3L),
            new ClientFrame.Mute("r17", "lobby", "bob", 10),
            new ClientFrame.Unmute("r18", "lobby", "bob"),
            new ClientFrame.Kick("r19", "lobby", "bob"),
            new ClientFrame.Dm("r20", "bob"),
            new ClientFrame.Members("r21", "lobby"),
            new ClientFrame.Tip("r22", "lobby", "bob", 50, "t-1"),
            new ClientFrame.Block("r23", "eve"),
            new ClientFrame.Unblock("r24", "eve"),
            new ClientFrame.Directory("r25", "lob", "lobby", 20),
            new ClientFrame.Topic("r26", "lobby", "Plans for the weekend"),
            new ClientFrame.Search("r27", "lobby", "plans", 40L, 20),
            new ClientFrame.Pin("r28", "lobby", 3L),
            new ClientFrame.Unpin("r29", "lobby", 3L),
            new ClientFrame.Pins("r30", "lobby", 40L),
            new ClientFrame.React("r31", "lobby", 3L, "👍🏽"),
            new ClientFrame.Unreact("r32", "lobby", 3L, "👍🏽"),
            new ClientFrame.Link("r33", "lobby", 60),
            new ClientFrame.Unlink("r34", "lobby", null),
            new ClientFrame.Unlink("r35", "lobby", "c0de"),
            new ClientFrame.Links("r36", "lobby"),
            new ClientFrame.Archive("r37", "lobby"));

    private static final ServerFrame.Message MESSAGE =
            new ServerFrame.Message("lobby", 3, "01JD", "guest-ann", "hi", TS, "text", 2L, "c-1", null, null, null,
                    null, null, null, null);

    /** One example of every server frame. */
    private static final List<ServerFrame> SERVER = List.of(
            new ServerFrame.Welcome("r1", "guest-ann", "s1", 25, 900,
                    List.of(new ServerFrame.RoomState("lobby", 3, "e1", 2, 1, 1, null, "Plans", true))),
            new ServerFrame.Joined("r2", "lobby", 3, "e1", "owner", List.of("guest-ann"), null, "Plans", true),
            new ServerFrame.Left("r3", "lobby", "banned"),
            MESSAGE,
            new ServerFrame.Receipt("r4", "lobby", "c-1", 3, "01JD", TS),
            new ServerFrame.Messages("r5", "lobby", List.of(MESSAGE), true),
            new ServerFrame.Synced("lobby", 3, false, true),
            new ServerFrame.Read("lobby", 3),
            new ServerFrame.Presence("lobby", "guest-ann", true, 1),
            new ServerFrame.Typing("lobby", "guest-ann"),
            new ServerFrame.RoleChanged("lobby", "guest-bob", "moderator"),
            new ServerFrame.Archived("lobby", true),
            new ServerFrame.Pong("r6", new BigDecimal("12.5")),
            ServerFrame.Error.of(ErrorCode.NOT_MEMBER, "not a member of x", "r7"),
            new ServerFrame.Ok("r8", "lobby"),
            new ServerFrame.Members("r9", "lobby",
                    List.of(new ServerFrame.MemberState("ann", "owner", true, 20))),
            new ServerFrame.Directory("r10", List.of(new ServerFrame.Listed("lobby", "public", 2, null)), true),
            new ServerFrame.Found("r11", "lobby", List.of(MESSAGE), 2L),
            new ServerFrame.Pins("r12", "lobby", List.of(MESSAGE.withReactions(List.of(
                    new ServerFrame.ReactionState("👍", 2, List.of("guest-ann", "guest-bob"))))), 3L),
            new ServerFrame.Link("r13", "lobby", "c0de", TS),
            new ServerFrame.Links("r14", "lobby", List.of(new ServerFrame.LinkState("c0de", "guest-ann", TS))));

    @Test
    void everyClientFrameHasAnAliasAndRoundTrips() throws BadFrameException {
        assertEquals(permitted(ClientFrame.class), aliased(ClientFrame.class));
        assertEquals(permitted(ClientFrame.class), CLIENT.stream().map(Object::getClass).collect(Collectors.toSet()),
                "the examples cover every client frame");
        for (ClientFrame frame : CLIENT) {
            String json = Frames.jsonb().toJson(frame);
            assertEquals(alias(ClientFrame.class, frame.getClass()), read(json).getString("type"));
            assertEquals(frame, Frames.decode(json), json);
        }
    }

    @Test
    void everyServerFrameHasAnAliasAndRoundTrips() {
        assertEquals(permitted(ServerFrame.class), aliased(ServerFrame.class));
        assertEquals(permitted(ServerFrame.class), SERVER.stream().map(Object::getClass).collect(Collectors.toSet()),
                "the examples cover every server frame");
        for (ServerFrame frame : SERVER) {
            String json = Frames.encode(frame);
            assertEquals(alias(ServerFrame.class, frame.getClass()), read(json).getString("type"));
            assertEquals(frame, Frames.jsonb().fromJson(json, ServerFrame.class), json);
        }
    }

    @Test
    void serverFramesUseTheContractsFieldShapes() {
        JsonObject message = read(Frames.encode(MESSAGE));
        assertEquals("2026-11-22T08:00:00.123Z", message.getString("ts"));
        assertEquals(3, message.getInt("seq"));
        JsonObject withoutId = read(Frames.encode(MESSAGE.withoutClientMsgId()));
        assertFalse(withoutId.containsKey("clientMsgId"), "absent optional fields are left out, not null");
        JsonObject pong = read(Frames.encode(new ServerFrame.Pong(null, new BigDecimal("1732262400123"))));
        assertEquals("1732262400123", pong.get("t").toString(), "t comes back as the same number");
        assertFalse(pong.containsKey("ref"));
    }

    @Test
    void unknownFieldsAreIgnored() throws BadFrameException {
        ClientFrame frame = Frames.decode("{\"type\":\"leave\",\"room\":\"lobby\",\"future\":{\"x\":1}}");
        assertEquals(new ClientFrame.Leave(null, "lobby"), frame);
    }

    /** Acks, pings and sends are read without JSON-B; they must come out exactly as JSON-B reads them. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"ack\",\"room\":\"r\",\"seq\":9007199254740993}",
            "{\"type\":\"ack\",\"room\":\"r\",\"seq\":9,\"read\":4}",
            "{\"type\":\"ack\",\"room\":\"r\",\"seq\":9,\"read\":null}",
            "{\"type\":\"ping\"}",
            "{\"type\":\"ping\",\"t\":null,\"ref\":\"p\"}",
            "{\"type\":\"ping\",\"t\":12.50}",
            "{\"type\":\"send\",\"room\":\"r\",\"text\":\"a \\\"quote\\\" é\",\"clientMsgId\":\"c\"}",
            "{\"type\":\"send\",\"room\":\"r\",\"text\":\"t\",\"clientMsgId\":\"c\",\"replyTo\":null}",
            "{\"type\":\"send\",\"room\":\"r\",\"text\":\"t\",\"clientMsgId\":\"c\",\"replyTo\":4,\"x\":[1]}",
    })
    void frequentFramesReadAsJsonBReadsThem(String text) throws BadFrameException {
        assertEquals(Frames.jsonb().fromJson(text, ClientFrame.class), Frames.decode(text), text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json                                        | ",
            "[1,2]                                            | ",
            "{\"ref\":\"a1\"}                                | a1",
            "{\"type\":7,\"ref\":\"a2\"}                     | a2",
            "{\"type\":\"shout\",\"ref\":\"a3\"}             | a3",
            "{\"type\":\"join\",\"ref\":\"a4\"}              | a4",
            "{\"type\":\"send\",\"ref\":\"a5\",\"room\":\"r\",\"text\":\"t\"} | a5",
            "{\"type\":\"ack\",\"ref\":\"a6\",\"room\":\"r\",\"seq\":\"many\"} | a6",
            "{\"type\":\"ack\",\"ref\":\"a7\",\"room\":\"r\",\"seq\":-1} | a7",
            "{\"type\":\"ack\",\"ref\":\"r1\",\"room\":\"r\",\"seq\":4,\"read\":5} | r1",
            "{\"type\":\"ack\",\"ref\":\"r2\",\"room\":\"r\",\"seq\":4,\"read\":-1} | r2",
            "{\"type\":\"ack\",\"ref\":\"r3\",\"room\":\"r\",\"seq\":4,\"read\":\"all\"} | r3",
            "{\"type\":\"sync\",\"ref\":\"a8\",\"room\":\"r\",\"after\":0,\"limit\":0} | a8",
            "{\"type\":\"hello\",\"ref\":\"a9\",\"token\":\"t\",\"resume\":{\"r\":{\"epoch\":\"e\"}}} | a9",
            "{\"type\":\"hello\",\"ref\":\"b1\",\"token\":\"t\",\"resume\":{\"r\":{\"seq\":-1,\"epoch\":\"e\"}}} | b1",
            "{\"type\":\"sync\",\"ref\":\"b2\",\"room\":\"r\",\"after\":-1} | b2",
            "{\"type\":\"history\",\"ref\":\"b3\",\"room\":\"r\",\"limit\":0} | b3",
            "{\"type\":\"history\",\"ref\":\"b4\",\"room\":\"r\",\"before\":0} | b4",
            "{\"type\":\"edit\",\"ref\":\"b5\",\"room\":\"r\",\"seq\":0,\"text\":\"t\"} | b5",
            "{\"type\":\"delete\",\"ref\":\"b6\",\"room\":\"r\",\"seq\":0} | b6",
            "{\"type\":\"send\",\"ref\":\"b7\",\"room\":\"r\",\"text\":\"t\",\"clientMsgId\":\"c\",\"replyTo\":0} | b7",
            "{\"type\":\"mute\",\"ref\":\"b8\",\"room\":\"r\",\"user\":\"bob\",\"minutes\":0} | b8",
            "{\"type\":\"ack\",\"ref\":\"b9\",\"room\":\"r\",\"seq\":\"5\"} | b9",
            "{\"type\":\"send\",\"ref\":\"c1\",\"room\":\"r\",\"text\":42,\"clientMsgId\":\"c\"} | c1",
            "{\"type\":\"sync\",\"ref\":\"c2\",\"room\":\"r\",\"after\":\"0\"} | c2",
            "{\"type\":\"ack\",\"ref\":\"c3\",\"room\":\"r\",\"seq\":1e3} | c3",
            "{\"type\":\"mute\",\"ref\":\"c4\",\"room\":\"r\",\"user\":\"bob\",\"minutes\":10.0} | c4",
            "{\"type\":\"join\",\"ref\":\"c5\",\"room\":true} | c5",
            "{\"type\":\"hello\",\"ref\":\"c6\",\"token\":\"t\",\"resume\":{\"r\":5}} | c6",
            "{\"type\":\"hello\",\"ref\":\"c7\",\"token\":\"t\",\"resume\":[]} | c7",
            "{\"type\":\"directory\",\"ref\":\"d1\",\"prefix\":\"ch%\"} | d1",
            "{\"type\":\"directory\",\"ref\":\"d2\",\"limit\":0} | d2",
            "{\"type\":\"directory\",\"ref\":\"d3\",\"prefix\":\"é\"} | d3",
            "{\"type\":\"topic\",\"ref\":\"t1\",\"room\":\"r\"} | t1",
            "{\"type\":\"topic\",\"ref\":\"t2\",\"room\":\"r\",\"text\":5} | t2",
            "{\"type\":\"search\",\"ref\":\"q1\",\"room\":\"r\"} | q1",
            "{\"type\":\"search\",\"ref\":\"q2\",\"room\":\"r\",\"text\":\"x\",\"before\":0} | q2",
            "{\"type\":\"search\",\"ref\":\"q3\",\"room\":\"r\",\"text\":\"x\",\"limit\":0} | q3",
            "{\"type\":\"pin\",\"ref\":\"p1\",\"room\":\"r\"} | p1",
            "{\"type\":\"pin\",\"ref\":\"p2\",\"room\":\"r\",\"seq\":0} | p2",
            "{\"type\":\"unpin\",\"ref\":\"p3\",\"room\":\"r\",\"seq\":0} | p3",
            "{\"type\":\"pins\",\"ref\":\"p4\",\"room\":\"r\",\"before\":0} | p4",
            "{\"type\":\"pins\",\"ref\":\"p5\"} | p5",
            "{\"type\":\"react\",\"ref\":\"e1\",\"room\":\"r\",\"seq\":1} | e1",
            "{\"type\":\"react\",\"ref\":\"e2\",\"room\":\"r\",\"seq\":1,\"emoji\":\"\"} | e2",
            "{\"type\":\"react\",\"ref\":\"e3\",\"room\":\"r\",\"seq\":0,\"emoji\":\"x\"} | e3",
            "{\"type\":\"unreact\",\"ref\":\"e4\",\"room\":\"r\",\"seq\":1,\"emoji\":7} | e4",
            "{\"type\":\"link\",\"ref\":\"l1\",\"room\":\"r\",\"minutes\":0} | l1",
            "{\"type\":\"unlink\",\"ref\":\"l2\"} | l2",
            "{\"type\":\"join\",\"ref\":\"l3\",\"room\":\"r\",\"code\":\"\"} | l3",
            "{\"type\":\"join\",\"ref\":\"l4\",\"room\":\"r\",\"code\":5} | l4",
            "{\"type\":\"ping\",\"ref\":123} | ",
            "{\"type\":\"ping\",\"ref\":\"c8\"}{\"type\":\"ping\"} | ",
            "{\"type\":\"ping\",\"ref\":\"c9\"} x | ",
    })
    void badFramesAreRefusedWithTheirRef(String text, String ref) {
        BadFrameException e = assertThrows(BadFrameException.class, () -> Frames.decode(text));
        assertEquals(ref, e.ref());
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }

    /** PostgreSQL cannot store NUL: one such text would fail the commit of every message stored with it. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"send\",\"ref\":\"n1\",\"room\":\"r\",\"text\":\"a\\u0000b\",\"clientMsgId\":\"c\"} | text",
            "{\"type\":\"send\",\"ref\":\"n1\",\"room\":\"r\",\"text\":\"t\","
                    + "\"clientMsgId\":\"\\u0000\"} | clientMsgId",
            "{\"type\":\"edit\",\"ref\":\"n1\",\"room\":\"r\",\"seq\":1,\"text\":\"\\u0000\"} | text",
            "{\"type\":\"tip\",\"ref\":\"n1\",\"room\":\"r\",\"user\":\"b\\u0000\",\"amount\":1,"
                    + "\"clientMsgId\":\"c\"} | user",
    })
    void noTextMayHoldNul(String text, String field) {
        BadFrameException e = assertThrows(BadFrameException.class, () -> Frames.decode(text));
        assertEquals("n1", e.ref());
        assertEquals(field + " must not contain the character NUL", e.getMessage());
    }

    /** Half of a UTF-16 pair is no text: PostgreSQL's driver would store it as "?", unlike what was delivered. */
    @ParameterizedTest
    @ValueSource(strings = {"a\\ud800", "\\ud800b", "\\udc00", "a\\ud83d\\ud83db\\ude00"})
    void noTextMayHoldHalfACharacter(String escaped) {
        BadFrameException e = assertThrows(BadFrameException.class, () -> Frames.decode(
                "{\"type\":\"send\",\"ref\":\"s1\",\"room\":\"r\",\"text\":\"" + escaped
                        + "\",\"clientMsgId\":\"c\"}"));
        assertEquals("s1", e.ref());
        assertEquals("text must be Unicode text: it has half of a character (a lone surrogate)", e.getMessage());
    }

    @Test
    void aDirectoryPrefixIsAtMostARoomNameLong() throws BadFrameException {
        String name = "a".repeat(64);
        assertEquals(name, ((ClientFrame.Directory) Frames.decode("{\"type\":\"directory\",\"prefix\":\"" + name
                + "\"}")).prefix());
        BadFrameException e = assertThrows(BadFrameException.class, () -> Frames.decode(
                "{\"type\":\"directory\",\"ref\":\"d\",\"prefix\":\"" + name + "a\"}"));
        assertEquals("bad directory frame: prefix is longer than 64 characters", e.getMessage());
    }

    @Test
    void aWholeCharacterOutsideTheBasicPlaneIsText() throws BadFrameException {
        ClientFrame.Send send = (ClientFrame.Send) Frames.decode(
                "{\"type\":\"send\",\"room\":\"r\",\"text\":\"\\ud83d\\ude00 ok \uD83D\uDE00\","
                        + "\"clientMsgId\":\"c\"}");
        assertEquals("\uD83D\uDE00 ok \uD83D\uDE00", send.text());
    }

    @Test
    void aWholeNumberIsReadUpToItsFieldsRangeAndRefusedPastIt() throws BadFrameException {
        ClientFrame.Ack ack = (ClientFrame.Ack) Frames.decode(
                "{\"type\":\"ack\",\"room\":\"r\",\"seq\":9223372036854775807}");
        assertEquals(Long.MAX_VALUE, ack.seq());
        BadFrameException e = assertThrows(BadFrameException.class, () -> Frames.decode(
                "{\"type\":\"ack\",\"ref\":\"a\",\"room\":\"r\",\"seq\":9223372036854775808}"));
        assertEquals("seq must be a whole number of at most 9223372036854775807", e.getMessage());
    }

    @Test
    void mistypedFieldsAreNamed() {
        BadFrameException e = assertThrows(BadFrameException.class, () -> Frames.decode(
                "{\"type\":\"send\",\"ref\":\"m\",\"room\":\"r\",\"text\":42,\"clientMsgId\":\"c\"}"));
        assertEquals("text must be text", e.getMessage());
        e = assertThrows(BadFrameException.class, () -> Frames.decode(
                "{\"type\":\"history\",\"ref\":\"m\",\"room\":\"r\",\"limit\":\"5\"}"));
        assertEquals("limit must be a whole number", e.getMessage());
    }

    /** Parsson refuses these with exceptions of its own, not JSON-P's: they are bad frames all the same. */
    @Test
    void jsonTooDeepOrANumberTooLongIsABadFrame() {
        String deep = "{\"type\":\"ping\",\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
        assertEquals("not valid JSON", assertThrows(BadFrameException.class, () -> Frames.decode(deep)).getMessage());
        String digits = "9".repeat(2000);
        for (String text : List.of("{\"type\":\"ping\",\"ref\":\"p\",\"t\":" + digits + "}",
                "{\"type\":\"ack\",\"ref\":\"p\",\"room\":\"r\",\"seq\":" + digits + "}")) {
            assertThrows(BadFrameException.class, () -> Frames.decode(text), text.substring(0, 30));
        }
    }

    @Test
    void refsLongerThanTheContractAreRefused() throws BadFrameException {
        String ok = "x".repeat(ClientFrame.MAX_REF);
        assertEquals(ok, Frames.decode("{\"type\":\"ping\",\"ref\":\"" + ok + "\"}").ref());
        BadFrameException e = assertThrows(BadFrameException.class,
                () -> Frames.decode("{\"type\":\"ping\",\"ref\":\"" + ok + "x\"}"));
        assertNull(e.ref(), "a ref the contract does not allow is not echoed");
    }

    /** A reaction: 1 to 32 UTF-16 units (an emoji of several code points fits), no spaces or controls. */
    @Test
    void aReactionIsShortAndOnOneWord() throws BadFrameException {
        String frame = "{\"type\":\"react\",\"ref\":\"e\",\"room\":\"r\",\"seq\":1,\"emoji\":\"%s\"}";
        assertEquals("☺", ((ClientFrame.React) Frames.decode(frame.formatted("☺"))).emoji(), "one unit");
        assertThrows(BadFrameException.class, () -> Frames.decode(frame.formatted("")), "none");
        String family = "👨‍👩‍👧‍👦"; // seven code points, eleven units
        assertEquals(family, ((ClientFrame.React) Frames.decode(frame.formatted(family))).emoji());
        String longest = "x".repeat(ClientFrame.React.MAX_CHARS);
        assertEquals(longest, ((ClientFrame.React) Frames.decode(frame.formatted(longest))).emoji());
        assertEquals("bad react frame: emoji is longer than 32 characters", assertThrows(BadFrameException.class,
                () -> Frames.decode(frame.formatted(longest + "x"))).getMessage());
        for (String spaced : List.of("thumbs up", "a\\tb", "\u00a0", "a\\u0007")) {
            assertEquals("bad react frame: emoji must not hold spaces or control characters",
                    assertThrows(BadFrameException.class, () -> Frames.decode(frame.formatted(spaced))).getMessage(),
                    spaced);
        }
    }

    /**
     * An invitation link's code in a join or an unlink: up to 64 characters (the server's are 22), checked before
     * any lookup.
     */
    @ParameterizedTest
    @ValueSource(strings = {"join", "unlink"})
    void aLinksCodeIsAtMostSixtyFourCharacters(String type) throws BadFrameException {
        String frame = "{\"type\":\"" + type + "\",\"ref\":\"j\",\"room\":\"r\",\"code\":\"%s\"}";
        String longest = "c".repeat(ClientFrame.Link.MAX_CODE_CHARS);
        ClientFrame decoded = Frames.decode(frame.formatted(longest));
        assertEquals(longest, decoded instanceof ClientFrame.Join join ? join.code()
                : ((ClientFrame.Unlink) decoded).code());
        assertEquals("bad " + type + " frame: code is longer than 64 characters", assertThrows(
                BadFrameException.class, () -> Frames.decode(frame.formatted(longest + "c"))).getMessage());
    }

    @Test
    void clientMessageIdsAreBoundedByTheContract() throws BadFrameException {
        String max = "c".repeat(ClientFrame.Send.MAX_CLIENT_MSG_ID);
        String frame = "{\"type\":\"send\",\"room\":\"r\",\"text\":\"t\",\"clientMsgId\":\"%s\"}";
        assertEquals(max, ((ClientFrame.Send) Frames.decode(frame.formatted(max))).clientMsgId());
        assertThrows(BadFrameException.class, () -> Frames.decode(frame.formatted(max + "c")));
        assertThrows(BadFrameException.class, () -> Frames.decode(frame.formatted("")));

        String tip = "{\"type\":\"tip\",\"room\":\"r\",\"user\":\"bob\",\"amount\":5,\"clientMsgId\":\"%s\"}";
        assertEquals(max, ((ClientFrame.Tip) Frames.decode(tip.formatted(max))).clientMsgId());
        assertThrows(BadFrameException.class, () -> Frames.decode(tip.formatted(max + "c")));
    }

    /** The smallest value each number may have is read; one less is refused (the table above). */
    @Test
    void numbersAreReadAtTheirLowerEdges() throws BadFrameException {
        assertEquals(0L, ((ClientFrame.Sync) Frames.decode("{\"type\":\"sync\",\"room\":\"r\",\"after\":0}")).after());
        assertEquals(1, ((ClientFrame.History) Frames.decode(
                "{\"type\":\"history\",\"room\":\"r\",\"before\":1,\"limit\":1}")).limit());
        assertEquals(1L, ((ClientFrame.Edit) Frames.decode(
                "{\"type\":\"edit\",\"room\":\"r\",\"seq\":1,\"text\":\"t\"}")).seq());
        assertEquals(1, ((ClientFrame.Mute) Frames.decode(
                "{\"type\":\"mute\",\"room\":\"r\",\"user\":\"bob\",\"minutes\":1}")).minutes());
        assertEquals(0L, ((ClientFrame.Hello) Frames.decode(
                "{\"type\":\"hello\",\"token\":\"t\",\"resume\":{\"r\":{\"seq\":0,\"epoch\":\"e\"}}}"))
                .resume().get("r").seq());
    }

    /**
     * Parsson lends each reader an 8 KiB buffer from a pool, and takes it back when the reader is closed: read
     * without closing, every frame allocated one (the thread's own allocation counter tells).
     */
    @Test
    void readingFramesReusesTheParsersBuffer() throws BadFrameException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String send = "{\"type\":\"send\",\"ref\":\"r1\",\"room\":\"lobby\",\"text\":\"hi\",\"clientMsgId\":\"c-1\"}";
        Frames.decode(send);
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000; i++) {
            Frames.decode(send);
        }
        long perFrame = (threads.getCurrentThreadAllocatedBytes() - before) / 1_000;
        assertTrue(perFrame < 4_096, perFrame + " bytes allocated per frame read");
    }

    private static JsonObject read(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    private static Set<Class<?>> permitted(Class<?> sealed) {
        return Set.of(sealed.getPermittedSubclasses());
    }

    private static Set<Class<?>> aliased(Class<?> sealed) {
        return Arrays.stream(sealed.getAnnotation(JsonbTypeInfo.class).value()).map(JsonbSubtype::type)
                .collect(Collectors.toSet());
    }

    private static String alias(Class<?> sealed, Class<?> type) {
        return Arrays.stream(sealed.getAnnotation(JsonbTypeInfo.class).value())
                .filter(s -> s.type() == type).map(JsonbSubtype::alias).findFirst().orElseThrow();
    }
}
