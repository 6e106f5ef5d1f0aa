package dev.parley.chat;

import dev.parley.config.Limits;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.Frames;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Connection;
import dev.parley.room.LiveRooms;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A page of stored messages as the reader's queue takes it: at most what is left of its catch-up share
 * ({@link Limits#catchUpChars()}). 500 long messages made one frame larger than the whole queue, and the reader
 * was closed with 4008 for asking. A page cut short keeps one end (the one the client pages from) and holds one
 * message at least, so that paging always goes on.
 */
final class CatchUpShare {

    /** The items kept and the page's JSON. */
    record Page<T>(List<T> items, String json) {
    }

    private CatchUpShare() {
    }

    /**
     * @param keepNewest whether a cut keeps the last items (the newest of a page in seq order) or the first
     * @param encode     the page's JSON for the items kept, told whether it was cut
     */
    static <T> Page<T> fit(Connection connection, Limits limits, List<T> items, boolean keepNewest,
                           BiFunction<List<T>, Boolean, String> encode) {
        long share = Math.max(0, limits.catchUpChars() - connection.queuedChars());
        String json = encode.apply(items, false);
        while (json.length() > share && items.size() > 1) {
            int keep = (int) Math.max(1, Math.min(items.size() - 1, items.size() * share / json.length()));
            items = keepNewest ? items.subList(items.size() - keep, items.size()) : items.subList(0, keep);
            json = encode.apply(items, true);
        }
        return new Page<>(items, json);
    }

    /**
     * Sends the reader messages the store read newest first (a search's matches, the pins), in seq order, without
     * those of people the reader blocks (a placeholder would still say that they wrote it). Cut short, the answer
     * keeps the newest, and {@code answer} is told to go on below them; else below {@code before}.
     *
     * @param answer the frame for the messages kept and the seq a further question goes on below (null: none)
     */
    static void sendNewestFirst(Connection connection, Limits limits, LiveRooms live, List<StoredMessage> newestFirst,
                                Long before, BiFunction<List<ServerFrame.Message>, Long, ServerFrame> answer) {
        String reader = connection.user();
        List<ServerFrame.Message> items = new ArrayList<>(newestFirst.stream()
                .filter(m -> !live.hides(reader, m.from())).map(m -> m.frameFor(reader)).toList());
        Collections.reverse(items);
        // Boxed: the ternary of a long and a Long would unbox a null before.
        connection.send(fit(connection, limits, items, true, (kept, cut) -> Frames.encode(answer.apply(kept,
                cut ? Long.valueOf(kept.get(0).seq()) : before))).json());
    }
}
