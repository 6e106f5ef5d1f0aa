package dev.parley.chat;

import dev.parley.config.Limits;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.Frames;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Connection;
import dev.parley.room.LiveRooms;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;

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
     * those of people the reader blocks (a placeholder would still say that they wrote it), each with its
     * reactions (the reader has not the events that make them), but those of people the reader blocks. Cut
     * short, the answer keeps the newest, and {@code answer} is told to go on below them; else below
     * {@code before}.
     *
     * @param answer the frame for the messages kept and the seq a further question goes on below (null: none)
     */
    static void sendNewestFirst(Connection connection, Limits limits, LiveRooms live, MessageStore messages,
                                String room, List<StoredMessage> newestFirst, Long before,
                                BiFunction<List<ServerFrame.Message>, Long, ServerFrame> answer) {
        String reader = connection.user();
        List<StoredMessage> shown = newestFirst.stream().filter(m -> !live.hides(reader, m.from())).toList();
        Map<Long, List<ServerFrame.ReactionState>> reactions = standing(messages.reactionsOn(room,
                shown.stream().map(StoredMessage::seq).toList()), user -> !live.hides(reader, user));
        List<ServerFrame.Message> items = new ArrayList<>(shown.stream()
                .map(m -> m.frameFor(reader).withReactions(reactions.get(m.seq()))).toList());
        Collections.reverse(items);
        // Boxed: the ternary of a long and a Long would unbox a null before.
        connection.send(fit(connection, limits, items, true, (kept, cut) -> Frames.encode(answer.apply(kept,
                cut ? Long.valueOf(kept.get(0).seq()) : before))).json());
    }

    /** Each message's reactions by emoji, in the order first made, of the people {@code shown}. */
    private static Map<Long, List<ServerFrame.ReactionState>> standing(List<MessageStore.Reaction> made,
                                                                      Predicate<String> shown) {
        Map<Long, Map<String, List<String>>> bySeq = new HashMap<>();
        made.stream().filter(reaction -> shown.test(reaction.user())).forEach(reaction -> bySeq
                .computeIfAbsent(reaction.seq(), seq -> new LinkedHashMap<>())
                .computeIfAbsent(reaction.emoji(), emoji -> new ArrayList<>()).add(reaction.user()));
        Map<Long, List<ServerFrame.ReactionState>> states = new HashMap<>();
        bySeq.forEach((seq, byEmoji) -> states.put(seq, byEmoji.entrySet().stream()
                .map(e -> new ServerFrame.ReactionState(e.getKey(), e.getValue().size(),
                        List.copyOf(e.getValue().subList(0, Math.min(e.getValue().size(),
                                ServerFrame.ReactionState.NAMED)))))
                .toList()));
        return states;
    }
}
