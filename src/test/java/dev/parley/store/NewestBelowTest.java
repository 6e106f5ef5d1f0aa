package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** History pages read as ranges of seqs: the same messages as newest-first reading, in few reads. */
class NewestBelowTest {

    private final List<long[]> reads = new ArrayList<>();

    @Test
    void aRoomWithEverySeqIsReadOnceForAPage() {
        TreeSet<Long> room = seqs(LongStream.rangeClosed(1, 100_000));

        assertEquals(List.of(99_998L, 99_999L, 100_000L), NewestBelow.page(100_001, 3, reader(room)));
        assertEquals(1, reads.size());
        assertEquals(List.of(48L, 49L), NewestBelow.page(50, 2, reader(room)));
    }

    @Test
    void aRoomWithFewerMessagesThanThePageGivesThemAll() {
        assertEquals(List.of(1L, 2L, 3L), NewestBelow.page(4, 50, reader(seqs(LongStream.rangeClosed(1, 3)))));
        assertEquals(List.of(), NewestBelow.page(1, 50, reader(seqs(LongStream.rangeClosed(1, 3)))));
        assertEquals(List.of(), NewestBelow.page(4, 0, reader(seqs(LongStream.rangeClosed(1, 3)))));
    }

    @Test
    void messagesPurgedFromTheBottomCostAFewReadsNotOnePerPageWidth() {
        TreeSet<Long> room = seqs(LongStream.rangeClosed(999_990, 1_000_000)); // retention took the rest

        assertEquals(List.of(999_990L, 999_991L), NewestBelow.page(999_992, 50, reader(room)));
        assertEquals(16, reads.size(), "the range doubles from 50 seqs to the whole room: " + described());
    }

    @Test
    void aMissingNewestMessageStillGivesAFullPage() {
        TreeSet<Long> room = seqs(LongStream.rangeClosed(1, 1_000));
        room.remove(1_000L); // an old timestamp, purged by retention before the messages around it

        assertEquals(List.of(997L, 998L, 999L), NewestBelow.page(1_001, 3, reader(room)));
        assertEquals(2, reads.size());
    }

    @Test
    void everyPageEqualsTheNewestMessagesBelowItsEnd() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            TreeSet<Long> room = seqs(LongStream.rangeClosed(1, 1 + random.nextInt(300))
                    .filter(seq -> random.nextInt(4) != 0));
            long end = 1 + random.nextInt(320);
            int limit = 1 + random.nextInt(60);

            List<Long> newestFirst = new ArrayList<>(room.headSet(end, false).descendingSet()).subList(0,
                    Math.min(limit, room.headSet(end, false).size()));
            List<Long> expected = new ArrayList<>(newestFirst);
            Collections.reverse(expected);
            assertEquals(expected, NewestBelow.page(end, limit, reader(room)), "end " + end + ", limit " + limit);
        }
    }

    private NewestBelow.Range<Long> reader(TreeSet<Long> room) {
        return (from, end) -> {
            reads.add(new long[] {from, end});
            return from >= end ? List.of() : List.copyOf(room.subSet(from, true, end, false));
        };
    }

    private static TreeSet<Long> seqs(LongStream seqs) {
        TreeSet<Long> room = new TreeSet<>();
        seqs.forEach(room::add);
        return room;
    }

    private String described() {
        return reads.stream().map(r -> r[0] + ".." + r[1]).toList().toString();
    }
}
