package dev.parley.store;

import java.util.List;

/**
 * A history page read as an ascending range of seqs just below where it ends, widened until it holds the page.
 * Read newest first ({@code seq < before order by seq desc}), H2 reads every message of the room below
 * {@code before} and sorts them, since it does not walk the ascending (room, seq) index backwards: seconds for a
 * page of a room of a few hundred thousand messages (performance.md, item 21). A room's seqs are given out one
 * by one and its messages are only deleted by retention, so the first range nearly always holds the page. Where
 * messages are missing from it, the range doubles: a gap of G seqs costs about log2(G / page) more reads, the
 * widest over some 2G seqs.
 */
final class NewestBelow {

    /** Reads the messages with {@code from <= seq < end}, in seq order. */
    interface Range<T> {
        List<T> read(long from, long end);
    }

    private NewestBelow() {
    }

    /** The newest {@code limit} messages with seqs below {@code end}, oldest first; seqs start at 1. */
    static <T> List<T> page(long end, int limit, Range<T> range) {
        if (limit <= 0 || end <= 1) {
            return List.of();
        }
        long width = limit;
        while (true) {
            long from = Math.max(1, end - width);
            List<T> found = range.read(from, end);
            if (found.size() >= limit || from == 1) {
                return found.subList(Math.max(0, found.size() - limit), found.size());
            }
            width = Math.min(width * 2, end);
        }
    }
}
