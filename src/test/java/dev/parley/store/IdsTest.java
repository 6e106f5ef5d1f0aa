package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Ids sort by the time they were made, which is what purging by age reads instead of an index on the time. */
class IdsTest {

    private static final long NOW = Instant.parse("2026-12-04T03:20:00.123Z").toEpochMilli();

    @Test
    void idsOfALaterMillisecondSortAfterEveryIdOfAnEarlierOne() {
        for (int i = 0; i < 1000; i++) {
            String earlier = Ids.next(NOW);
            String later = Ids.next(NOW + 1);
            assertEquals(Ids.LENGTH, earlier.length());
            assertTrue(earlier.compareTo(later) < 0, earlier + " before " + later);
        }
    }

    @Test
    void theFirstIdOfAMillisecondIsAboveAllEarlierOnesAndAtMostAnyOfItsOwn() {
        String first = Ids.first(NOW);
        assertEquals(Ids.LENGTH, first.length());
        assertTrue(first.endsWith("0000000000000000"), first);
        for (int i = 0; i < 1000; i++) {
            assertTrue(Ids.next(NOW - 1).compareTo(first) < 0);
            assertTrue(Ids.next(NOW).compareTo(first) >= 0);
        }
    }

    @Test
    void thePurgeBoundTakesInEveryMessageMadeBeforeTheTimeAndNoneOfALaterMillisecond() {
        Instant before = Instant.ofEpochMilli(NOW).plusNanos(400_000);
        String bound = MessageEntity.idBoundAt(before);

        assertTrue(messageId(NOW - 1).compareTo(bound) < 0, "a millisecond earlier");
        assertTrue(messageId(NOW).compareTo(bound) < 0, "its own millisecond, 0.4 ms earlier");
        assertTrue(messageId(NOW + 1).compareTo(bound) > 0, "0.6 ms later");
    }

    /** A purge reaching back before 1970 (36,600 days may) bounds below every id, not above them all. */
    @Test
    void aBoundBefore1970IsBelowEveryMessage() {
        String bound = MessageEntity.idBoundAt(Instant.parse("1930-01-01T00:00:00Z"));
        assertTrue(messageId(0).compareTo(bound) >= 0, "none is older");
        assertTrue(messageId(NOW).compareTo(bound) > 0);
    }

    private static String messageId(long epochMillis) {
        return MessageEntity.idAt(LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC));
    }
}
