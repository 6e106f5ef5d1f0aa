package dev.parley.chat;

import dev.parley.config.Limits;
import dev.parley.delivery.MessageStore;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Connection;
import dev.parley.room.LiveRooms;
import java.util.function.Supplier;

/**
 * What a member finds in a room: its messages holding a text, newest first, a window of the room at a time (see
 * {@link MessageStore#SEARCH_SCANNED}), so that no search reads a busy room's whole past.
 */
final class RoomSearch {

    private final MessageStore messages;
    private final LiveRooms live;
    /** The operator's current limits: they may change while the server runs. */
    private final Supplier<Limits> limits;

    RoomSearch(MessageStore messages, LiveRooms live, Supplier<Limits> limits) {
        this.messages = messages;
        this.live = live;
        this.limits = limits;
    }

    /**
     * Answers {@code found}: the matches in seq order, without those of people the reader blocks (a placeholder
     * would still say that they wrote it). Like a history page, the answer fits the reader's catch-up share
     * ({@link CatchUpShare}): cut short, it keeps the newest matches, and {@code before} goes on below them.
     */
    void find(Connection connection, ClientFrame.Search frame) {
        String room = RoomEntry.requireMember(connection, frame.room());
        String text = frame.text().strip();
        if (text.isEmpty()) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "text to search for must not be blank");
        }
        if (text.codePointCount(0, text.length()) > Limits.MAX_SEARCH_CHARS) {
            throw new ChatException(ErrorCode.TOO_LARGE, "a search is for at most " + Limits.MAX_SEARCH_CHARS
                    + " characters");
        }
        MessageStore.Found found = messages.search(room, text, frame.before(), limits.get().page(frame.limit()));
        CatchUpShare.sendNewestFirst(connection, limits.get(), live, messages, room, found.matches(), found.before(),
                (kept, before) -> new ServerFrame.Found(frame.ref(), room, kept, before));
    }
}
