package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The wall clock is read only where a time of day is meant; every other class is given its clocks from
 * {@link Clocks#NODE}, and what times a connection or a rate window takes the steady one. A class that read
 * the wall clock itself would make a step of it (NTP, a virtual machine resumed) close connections as silent
 * at once, or hold a deadline for as long as the step, and no other test would notice.
 */
class WallClockUseTest {

    private static final Pattern WALL_CLOCK = Pattern.compile("Clock\\.system(UTC|DefaultZone)\\(\\)"
            + "|System\\.currentTimeMillis\\(\\)|(Instant|LocalDateTime|OffsetDateTime|ZonedDateTime)\\.now\\(");

    /** Each source file that may read the wall clock, how often, and the time of day it needs. */
    private static final Map<String, Integer> TIMES_OF_DAY = Map.of(
            "room/Clocks.java", 1, // the node's wall clock, for every time of day the chat compares
            "room/SteadyClock.java", 1, // the time of day it starts from
            "store/MessageEntity.java", 1, // a message's ts
            "store/JpaRoomStore.java", 1, // when a room, a membership, a mute were made
            "store/RoomEntity.java", 1, // ids that sort by when they were made (Ids)
            "store/MembershipEntity.java", 1,
            "store/BanEntity.java", 1,
            "store/MuteEntity.java", 1);

    /** Each source file that takes the node's wall clock from {@link Clocks#NODE}, and how often. */
    private static final Map<String, Integer> GIVEN_THE_WALL_CLOCK = Map.of(
            "admin/Admin.java", 1, // the audit trail's times, a ban's end, a purge's cut-off
            "security/Accounts.java", 1, // a ban's end, for the sanctions
            "security/Tokens.java", 1); // a token's expiry

    @Test
    void onlyTimesOfDayAreGivenTheWallClock() throws IOException {
        assertEquals(new TreeMap<>(GIVEN_THE_WALL_CLOCK), count(Pattern.compile("Clocks\\.NODE\\.wall\\(\\)")),
                "what times a connection or a rate takes Clocks.NODE.steady()");
    }

    @Test
    void onlyTimesOfDayReadTheWallClock() throws IOException {
        assertEquals(new TreeMap<>(TIMES_OF_DAY), count(WALL_CLOCK), "take the clocks from Clocks.NODE");
    }

    /** By source file under dev/parley, how often the pattern occurs, for the files where it does. */
    private static Map<String, Integer> count(Pattern pattern) throws IOException {
        Path main = Path.of("src/main/java/dev/parley");
        Map<String, Integer> found = new TreeMap<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                long reads = pattern.matcher(Files.readString(file)).results().count();
                if (reads > 0) {
                    found.put(main.relativize(file).toString().replace('\\', '/'), (int) reads);
                }
            }
        }
        return found;
    }
}
