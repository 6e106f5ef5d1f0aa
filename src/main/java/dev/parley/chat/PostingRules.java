package dev.parley.chat;

import dev.parley.config.Limits;
import dev.parley.delivery.Tip;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Frames;
import dev.parley.room.RoomStore;
import dev.parley.security.Blocks;
import dev.parley.security.Sanction;
import dev.parley.security.Sanctions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Whether a member may write this in the room now: the text's length, mutes (server-wide and the room's), blocks
 * in a direct conversation, a tip's amount and receiver. Each throws the refusal the client is told.
 */
final class PostingRules {

    private final RoomStore rooms;
    private final RoomModeration moderation;
    private final Sanctions sanctions;
    private final Blocks blocks;
    /** The operator's current limits: they may change while the server runs. */
    private final Supplier<Limits> limits;
    private final Clock clock;

    PostingRules(RoomStore rooms, RoomModeration moderation, Sanctions sanctions, Blocks blocks,
                 Supplier<Limits> limits, Clock clock) {
        this.rooms = rooms;
        this.moderation = moderation;
        this.sanctions = sanctions;
        this.blocks = blocks;
        this.limits = limits;
        this.clock = clock;
    }

    void requireText(String text) {
        int maxTextChars = limits.get().maxTextChars();
        if (text.codePointCount(0, text.length()) > maxTextChars) {
            throw new ChatException(ErrorCode.TOO_LARGE, "text is longer than " + maxTextChars + " characters");
        }
        if (text.isBlank()) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "text must not be blank");
        }
        if (Frames.holdsControls(text)) {
            throw new ChatException(ErrorCode.BAD_REQUEST,
                    "text must not hold control characters other than tab and line breaks");
        }
    }

    /** A server-wide mute, or one in the room, refuses the user's sends there, saying for how long. */
    void requireNotMuted(String room, String user) {
        sanctions.of(user, Sanction.Kind.MUTE).ifPresent(mute -> {
            throw muted(mute.until(), "you are muted until an admin lifts it", "");
        });
        moderation.muteOf(room, user).ifPresent(mute -> {
            throw muted(mute.until(), "you are muted in " + room + " until a moderator lifts it", " in " + room);
        });
    }

    private ChatException muted(Instant until, String untilLifted, String where) {
        return new ChatException(ErrorCode.MUTED, until == null ? untilLifted : "you are muted" + where + " for "
                + Math.max(1, Duration.between(clock.instant(), until).toSeconds()) + " more seconds");
    }

    /**
     * In a direct conversation, nothing reaches the other person once they have blocked the sender: no message,
     * tip or edit (a deletion takes the sender's own words away, and goes).
     */
    void requireNotBlocked(String room, String user) {
        if (blocks.isBlockedByAnybody(user) && moderation.isDirect(room) && rooms.members(room).stream()
                .anyMatch(m -> !m.user().equals(user) && blocks.hides(m.user(), user))) {
            throw new ChatException(ErrorCode.FORBIDDEN, "the other person does not take direct messages from you");
        }
    }

    /** A tip is a positive amount, up to {@link Tip#MAX_AMOUNT}, for another member of the room. */
    void requireTip(String room, String user, String receiver, int amount) {
        if (amount < 1 || amount > Tip.MAX_AMOUNT) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "a tip is 1 to " + Tip.MAX_AMOUNT);
        }
        if (receiver.equals(user)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "a tip is for somebody else");
        }
        if (moderation.roleOf(room, receiver).isEmpty()) {
            throw new ChatException(ErrorCode.NOT_FOUND, receiver + " is not a member of " + room);
        }
    }

    /** How long after sending a message its sender may still edit it. */
    Duration editWindow() {
        return limits.get().editWindow();
    }
}
