package dev.parley.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Frames;
import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.ObjLongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The configured numbers are checked when the application starts, at and past each edge. */
class SettingsTest {

    /** The defaults the annotations give (what a server without settings runs with) start, and are the limits'. */
    @Test
    void theDefaultsAreWithinTheirRanges() {
        Settings settings = withDefaults();
        assertDoesNotThrow(settings::requireValid);
        assertEquals(Limits.DEFAULTS, settings.limits());
    }

    /** README.md's configuration table gives each key's default as the code has it. */
    @Test
    void theReadmeGivesEachDefault() throws IOException {
        Map<String, String> documented = new HashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `(parley\\.[a-z.]+)` \\| `[A-Z_]+` \\| `([^`]*)` \\|")
                .matcher(Files.readString(Path.of("README.md")));
        while (row.find()) {
            documented.put(row.group(1), row.group(2));
        }
        Map<String, String> defaults = defaults();
        assertTrue(defaults.size() > 20, defaults.toString());
        defaults.forEach((key, value) -> assertEquals(value, documented.get(key), key));
    }

    /** The edges the ranges test allows reach the limits the server runs with. */
    @Test
    void theLimitsCarryTheEdgesSet() {
        Settings settings = withDefaults();
        settings.maxTextChars = Limits.MAX_TEXT_CHARS;
        settings.maxFrameBytes = 1024;
        settings.framesPerSecond = 1;
        settings.frameBurst = 1_000_000;
        Limits limits = settings.limits();
        assertEquals(8_000, limits.maxTextChars());
        assertEquals(1024, limits.maxFrameBytes());
        assertEquals(1, limits.framesPerSecond());
        assertEquals(1_000_000, limits.frameBurst());
        settings.maxFrameBytes = 16 * 1024 * 1024;
        assertEquals(16 * 1024 * 1024, settings.limits().maxFrameBytes());
    }

    @Test
    void retentionOfNoDaysKeepsMessagesForever() {
        Settings settings = withDefaults();
        assertEquals(OptionalInt.empty(), settings.retentionDays());
        settings.retentionDays = 1;
        assertEquals(OptionalInt.of(1), settings.retentionDays());
    }

    /** A welcome lists every room of a user: the queue holds it for a user in as many rooms as one may be. */
    @Test
    void theQueueHoldsTheWelcomeOfAUserInAllTheRoomsAllowed() {
        Settings settings = withDefaults();
        int rooms = settings.roomsPerUser;
        int each = Settings.WELCOME_CHARS_PER_ROOM;
        int besides = Settings.WELCOME_CHARS_BESIDES_ROOMS;
        settings.outboundQueueChars = rooms * each + besides;
        assertDoesNotThrow(settings::requireValid, "the default rooms at their share each, and the rest");
        settings.outboundQueueChars--;
        assertEquals("parley.rooms.per.user is " + rooms + ": the welcome of a user in that many rooms (" + each
                + " characters a room and " + besides + " besides) would not fit parley.outbound.queue.chars ("
                + (rooms * each + besides - 1) + ")",
                assertThrows(IllegalArgumentException.class, settings::requireValid).getMessage());
    }

    /**
     * {@link Settings#WELCOME_CHARS_BESIDES_ROOMS} holds the rest of a welcome at its longest: a ref of control
     * characters (six each, escaped), the longest guest name, a connection id longer than the servers' own, and
     * numbers longer than any heartbeat or edit window.
     */
    @Test
    void aWelcomeBesidesItsRoomsTakesAtMostItsShare() {
        String welcome = Frames.encode(new ServerFrame.Welcome("\u0001".repeat(ClientFrame.MAX_REF),
                "guest-" + "n".repeat(32), "s".repeat(64), Integer.MAX_VALUE, Long.MAX_VALUE, List.of()));
        assertTrue(welcome.length() <= Settings.WELCOME_CHARS_BESIDES_ROOMS, welcome.length() + ": " + welcome);
    }

    /**
     * {@link Settings#WELCOME_CHARS_PER_ROOM} is what the longest room of a welcome takes, and then some: with a
     * topic of quotes, which are escaped, and one of characters past 16 bits, two UTF-16 units each.
     */
    @ParameterizedTest
    @ValueSource(strings = {"\"", "\uD834\uDD1E"})
    void aRoomInAWelcomeTakesAtMostItsShare(String character) {
        ServerFrame.RoomState longest = new ServerFrame.RoomState("r".repeat(64), Long.MAX_VALUE, "e".repeat(12),
                Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, "u".repeat(38),
                character.repeat(Limits.MAX_TOPIC_CHARS), true);
        String one = Frames.encode(new ServerFrame.Welcome(null, "someone", "session", 25, 900, List.of(longest)));
        String two = Frames.encode(new ServerFrame.Welcome(null, "someone", "session", 25, 900,
                List.of(longest, longest)));
        assertTrue(two.length() - one.length() <= Settings.WELCOME_CHARS_PER_ROOM, two);
    }

    /** Each key's range as README.md gives it: both ends start, one past either end stops with the key named. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("ranges")
    void everyNumberIsCheckedAtAndPastBothEnds(String key, ObjLongConsumer<Settings> set, long min, long max) {
        for (long allowed : new long[] {min, max}) {
            Settings settings = withDefaults();
            set.accept(settings, allowed);
            assertDoesNotThrow(settings::requireValid, key + " = " + allowed);
        }
        for (long refused : new long[] {min - 1, max + 1}) {
            Settings settings = withDefaults();
            set.accept(settings, refused);
            assertEquals(key + " must be " + min + " to " + max + ", not " + refused,
                    assertThrows(IllegalArgumentException.class, settings::requireValid).getMessage());
        }
    }

    static Stream<Arguments> ranges() {
        return Stream.of(
                range("parley.heartbeat.seconds", (s, v) -> s.heartbeatSeconds = (int) v, 1, 3600),
                range("parley.hello.timeout.seconds", (s, v) -> s.helloTimeoutSeconds = (int) v, 1, 3600),
                range("parley.frame.max.bytes", (s, v) -> s.maxFrameBytes = (int) v, 1024, 16 * 1024 * 1024),
                // No longer than the message column holds.
                range("parley.text.max.chars", (s, v) -> s.maxTextChars = (int) v, 1, 8000),
                // A rate of 0 would refuse every frame.
                range("parley.rate.frames.per.second", (s, v) -> s.framesPerSecond = (int) v, 1, 1_000_000),
                range("parley.rate.burst", (s, v) -> s.frameBurst = (int) v, 1, 1_000_000),
                // The welcome of a user in one room fits any queue allowed (the welcome test above has the rest).
                range("parley.outbound.queue.chars", (s, v) -> {
                    s.outboundQueueChars = v;
                    s.roomsPerUser = 1;
                }, 65_536, 1_073_741_824),
                // With a queue that holds the welcome of a user in the most rooms (the default holds 4,723).
                range("parley.rooms.per.user", (s, v) -> {
                    s.roomsPerUser = (int) v;
                    s.outboundQueueChars = 16 * 1024 * 1024;
                }, 1, 10_000),
                range("parley.room.passwords.per.address.per.minute",
                        (s, v) -> s.roomPasswordsPerAddressPerMinute = (int) v, 1, 1_000_000),
                range("parley.logins.per.address.per.minute",
                        (s, v) -> s.loginsPerAddressPerMinute = (int) v, 1, 1_000_000),
                range("parley.guests.per.address.per.minute",
                        (s, v) -> s.guestsPerAddressPerMinute = (int) v, 1, 1_000_000),
                range("parley.new.rooms.per.address.per.minute",
                        (s, v) -> s.newRoomsPerAddressPerMinute = (int) v, 1, 1_000_000),
                range("parley.connections.per.user", (s, v) -> s.connectionsPerUser = (int) v, 1, 1000),
                range("parley.resend.seconds", (s, v) -> s.resendSeconds = (int) v, 1, 3600),
                range("parley.resend.max", (s, v) -> s.maxResends = (int) v, 1, 1000),
                range("parley.connections.per.address.per.minute",
                        (s, v) -> s.connectionsPerAddressPerMinute = (int) v, 1, 1_000_000),
                range("parley.token.ttl.minutes", (s, v) -> s.tokenTtlMinutes = v, 1, 527_040),
                range("parley.edit.window.minutes", (s, v) -> s.editWindowMinutes = v, 1, 527_040),
                range("parley.moderation.reread.seconds", (s, v) -> s.moderationRereadSeconds = v, 1, 86_400),
                range("parley.retention.days", (s, v) -> s.retentionDays = (int) v, 0, 36_600),
                range("parley.retention.check.seconds", (s, v) -> s.retentionCheckSeconds = v, 1, 86_400));
    }

    private static Arguments range(String key, ObjLongConsumer<Settings> set, long min, long max) {
        return Arguments.of(key, set, min, max);
    }

    /** The values of the defaults, as MicroProfile Config injects them when nothing is set. */
    private static Settings withDefaults() {
        Settings settings = new Settings();
        for (Field field : Settings.class.getDeclaredFields()) {
            ConfigProperty property = field.getAnnotation(ConfigProperty.class);
            if (property == null || property.defaultValue().equals(ConfigProperty.UNCONFIGURED_VALUE)) {
                continue;
            }
            String value = property.defaultValue();
            try {
                if (field.getType() == int.class) {
                    field.setInt(settings, Integer.parseInt(value));
                } else if (field.getType() == long.class) {
                    field.setLong(settings, Long.parseLong(value));
                } else if (field.getType() == boolean.class) {
                    field.setBoolean(settings, Boolean.parseBoolean(value));
                } else {
                    field.set(settings, value);
                }
            } catch (IllegalAccessException e) {
                throw new AssertionError(field.getName(), e);
            }
        }
        return settings;
    }

    /** Each key that has a default, with it. */
    private static Map<String, String> defaults() {
        Map<String, String> defaults = new HashMap<>();
        for (Field field : Settings.class.getDeclaredFields()) {
            ConfigProperty property = field.getAnnotation(ConfigProperty.class);
            if (property != null && !property.defaultValue().equals(ConfigProperty.UNCONFIGURED_VALUE)) {
                defaults.put(property.name(), property.defaultValue());
            }
        }
        return defaults;
    }
}
