package dev.parley.store;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Globally unique row ids that sort by creation time (48 bits of milliseconds, 80 random bits, Crockford
 * base 32, 26 characters): no node coordinates with another, inserts land near each other in the index, and
 * no database sequence is needed (EclipseLink's generated schema does not create them on every database).
 */
public final class Ids {

    static final int LENGTH = 26;
    private static final int TIME_LENGTH = 10;
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String next(long epochMillis) {
        char[] id = timed(epochMillis);
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long high = 0;
        for (int i = 0; i < 5; i++) {
            high = (high << 8) | (random[i] & 0xff);
        }
        long low = 0;
        for (int i = 5; i < 10; i++) {
            low = (low << 8) | (random[i] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            id[i] = ALPHABET[(int) (high & 31)];
            high >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            id[i] = ALPHABET[(int) (low & 31)];
            low >>>= 5;
        }
        return new String(id);
    }

    /**
     * The lowest id that {@link #next} can give at {@code epochMillis}: every id made earlier sorts below it,
     * every id made then or later at or above it (by character, as Java and the databases' indexes compare them).
     */
    public static String first(long epochMillis) {
        char[] id = timed(epochMillis);
        Arrays.fill(id, TIME_LENGTH, LENGTH, ALPHABET[0]);
        return new String(id);
    }

    /** A new id's characters with the time written into the first ten. */
    private static char[] timed(long epochMillis) {
        char[] id = new char[LENGTH];
        long time = epochMillis;
        for (int i = TIME_LENGTH - 1; i >= 0; i--) {
            id[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        return id;
    }
}
