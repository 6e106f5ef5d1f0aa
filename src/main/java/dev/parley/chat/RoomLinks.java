package dev.parley.chat;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Connection;
import dev.parley.room.ModerationStore;
import dev.parley.room.RoomNames;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.function.BiConsumer;

/**
 * Invitation links: a code the room's owner or a moderator hands out (the page makes a web address of it), with
 * which whoever has it joins the room past its password or invitations (not past a ban), until the code expires
 * or the room's links are removed. The code is the secret: 128 random bits, as a token's key would be.
 */
final class RoomLinks {

    /** How long a link lasts when its maker does not say. */
    static final int DEFAULT_MINUTES = 24 * 60;
    /** A week at most: a link forgotten in an old message should not open the room for good. */
    static final int MAX_MINUTES = 7 * 24 * 60;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ModerationStore store;
    private final RoomModeration moderation;
    /** Posts a system line to a room: members learn that a way in was made or closed, and by whom. */
    private final BiConsumer<String, String> systemLine;
    private final Clock clock;

    RoomLinks(ModerationStore store, RoomModeration moderation, BiConsumer<String, String> systemLine, Clock clock) {
        this.store = store;
        this.moderation = moderation;
        this.systemLine = systemLine;
        this.clock = clock;
    }

    void link(Connection connection, ClientFrame.Link frame) {
        String room = frame.room();
        moderation.requireModerator(connection, room);
        int minutes = frame.minutes() == null ? DEFAULT_MINUTES : frame.minutes();
        if (minutes > MAX_MINUTES) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "minutes must be 1 to " + MAX_MINUTES + ", not " + minutes);
        }
        Instant now = clock.instant();
        Instant expires = now.plus(Duration.ofMinutes(minutes)).truncatedTo(ChronoUnit.SECONDS);
        String code = newCode();
        store.addLink(room, code, connection.user(), now, expires);
        connection.send(new ServerFrame.Link(frame.ref(), room, code, expires));
        systemLine.accept(room, connection.user() + " made an invitation link");
    }

    /** Ends the link named, or every link of the room when none is. */
    void unlink(Connection connection, ClientFrame.Unlink frame) {
        String room = frame.room();
        moderation.requireModerator(connection, room);
        if (frame.code() == null) {
            removeAll(room, connection.user());
        } else if (store.removeLink(room, frame.code(), clock.instant())) {
            systemLine.accept(room, connection.user() + " removed an invitation link");
        } else {
            throw new ChatException(ErrorCode.NOT_FOUND, "no invitation link of " + room + " in force has that code");
        }
        connection.send(new ServerFrame.Ok(frame.ref(), room));
    }

    /** The room's links in force, for its owner and moderators: each is a way in they should know of. */
    void list(Connection connection, ClientFrame.Links frame) {
        String room = frame.room();
        moderation.requireModerator(connection, room);
        connection.send(new ServerFrame.Links(frame.ref(), room, store.linksOf(room, clock.instant()).stream()
                .map(link -> new ServerFrame.LinkState(link.code(), link.by(), link.expires())).toList()));
    }

    /** Ends the room's links, telling the room when any were in force. @return how many were in force */
    int removeAll(String room, String by) {
        int removed = store.removeLinks(room, clock.instant());
        if (removed > 0) {
            systemLine.accept(room, by + " removed the room's invitation links");
        }
        return removed;
    }

    /**
     * Whether the join comes with a code that admits to its room now. A code that does not is refused, whatever
     * the room's access, so that a person who followed an old link learns why rather than finding a room unasked;
     * a member who follows one is in the room already, and joins as any member does.
     */
    boolean admits(ClientFrame.Join join, String user) {
        if (join.code() == null) {
            return false;
        }
        String room = RoomNames.require(join.room()); // a malformed name is told as such, as without a code
        if (store.roomOfLink(join.code(), clock.instant()).filter(room::equals).isEmpty()
                && store.roleOf(room, user).isEmpty()) {
            throw new ChatException(ErrorCode.FORBIDDEN,
                    "the invitation link is not valid: it expired, was removed, or is for another room");
        }
        return true;
    }

    private static String newCode() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
