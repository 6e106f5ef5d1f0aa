package dev.parley.config;

import java.time.Duration;

/**
 * The limits a connection lives under. Defaults are the contract's.
 *
 * @param heartbeatSeconds   seconds between client pings, announced in {@code welcome}
 * @param helloTimeout       how long a new socket may take to say {@code hello}
 * @param maxFrameBytes      the largest inbound frame; bigger closes with 1009
 * @param maxTextChars       the longest message text, in characters
 * @param outboundQueueChars how much encoded text may wait for one slow reader before it is closed with 4008
 * @param pageDefault        messages per {@code sync} or {@code history} when the client gives no limit
 * @param pageMax            the most messages per {@code sync} or {@code history}
 * @param framesPerSecond    frames a connection may send per second on average
 * @param frameBurst         frames a connection may send at once; refused more often than that at once, or
 *                           than framesPerSecond on average, it is closed (4029)
 * @param connectionsPerUser connections one user may have open on a node
 * @param resendAfter        how long delivered messages may go unacked before they are sent again
 * @param maxResends         resends without any ack before the connection is closed with 4008
 * @param editWindow         how long after sending its sender may edit a message
 */
public record Limits(int heartbeatSeconds, Duration helloTimeout, int maxFrameBytes, int maxTextChars,
                     long outboundQueueChars, int pageDefault, int pageMax, int framesPerSecond, int frameBurst,
                     int connectionsPerUser, Duration resendAfter, int maxResends, Duration editWindow) {

    public static final Limits DEFAULTS = new Limits(25, Duration.ofSeconds(10), 64 * 1024, 4000,
            4L * 1024 * 1024, 100, 500, 20, 40, 10, Duration.ofSeconds(10), 6, Duration.ofMinutes(15));

    /** The longest text an operator may allow: the message column holds 16,000 UTF-16 units, two a character. */
    public static final int MAX_TEXT_CHARS = 8_000;
    /** The frame limit an operator may set (each connection's text buffer is sized by it): 1 KiB to 16 MiB. */
    public static final int MIN_FRAME_BYTES = 1024;
    public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;
    /** The highest frame rate and burst an operator may allow: no limit in practice (the benchmark's). */
    public static final int MAX_RATE = 1_000_000;
    /** A year's minutes, leap day included: the bound of every setting and mute given in minutes. */
    public static final int YEAR_MINUTES = 366 * 24 * 60;
    /** The longest a timed mute lasts, in a room or on the whole server. */
    public static final int MAX_MUTE_MINUTES = YEAR_MINUTES;
    /** The longest topic of a room, in characters (code points): a line beside the room's name, not a message. */
    public static final int MAX_TOPIC_CHARS = 300;
    /** The longest text a {@code search} looks for, in characters (code points). */
    public static final int MAX_SEARCH_CHARS = 100;

    /**
     * Refuses a value of a limit outside its range, naming it.
     *
     * @throws IllegalArgumentException "NAME must be MIN to MAX, not VALUE"
     */
    public static void requireWithin(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", not " + value);
        }
    }

    /** These limits with the ones an operator may change at runtime replaced where given (null keeps). */
    public Limits with(Integer framesPerSecond, Integer frameBurst, Integer maxFrameBytes, Integer maxTextChars) {
        return new Limits(heartbeatSeconds, helloTimeout, maxFrameBytes == null ? this.maxFrameBytes : maxFrameBytes,
                maxTextChars == null ? this.maxTextChars : maxTextChars, outboundQueueChars, pageDefault, pageMax,
                framesPerSecond == null ? this.framesPerSecond : framesPerSecond,
                frameBurst == null ? this.frameBurst : frameBurst, connectionsPerUser, resendAfter, maxResends,
                editWindow);
    }

    /** The contract: a connection silent for 2 x heartbeat + 5 s is closed. */
    public Duration silenceTimeout() {
        return Duration.ofSeconds(2L * heartbeatSeconds + 5);
    }

    /**
     * How much of a reader's outbound queue catching up may fill (the replay after {@code hello}, a fill from the
     * store, a {@code sync} or {@code history} page): a quarter, the rest kept for live messages. Read from the
     * database, a catch-up comes faster than a slow link takes it, and 500 long messages are more than the whole
     * queue: the reader was closed with 4008 for what the server chose to send at once.
     */
    public long catchUpChars() {
        return outboundQueueChars / 4;
    }

    /** A client's page size, bounded by the maximum. */
    public int page(Integer requested) {
        return requested == null ? pageDefault : Math.min(requested, pageMax);
    }
}
