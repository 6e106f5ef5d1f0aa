package dev.parley.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.testing.TestChat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Room passwords are checked a bounded number at a time; one more is refused at once, not queued. */
class PasswordChecksTest {

    /** Slow enough that a check is still running when the test asks for another (about a second a hash here). */
    private static final PasswordHasher SLOW = new PasswordHasher(5_000_000);

    @Test
    void aCheckPastTheBoundIsRefusedAndTheNextOneAfterItRuns() throws Exception {
        PasswordChecks checks = new PasswordChecks(SLOW, 1, Clock.systemUTC());
        String hash = SLOW.hash("open sesame");
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(
                () -> checks.matches("10.0.0.1", "club", "open sesame", hash));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (checks.running() == 0 && !first.isDone()) {
            assertTrue(System.nanoTime() < deadline, "the first check never started");
            Thread.onSpinWait();
        }
        assertFalse(first.isDone(), "the first check ended before the second was asked for: a slower hasher needed");

        ChatException refused = assertThrows(ChatException.class,
                () -> checks.matches("10.0.0.1", "club", "open sesame", hash));
        assertEquals(ErrorCode.RATE_LIMITED, refused.code());
        assertEquals("too many passwords are being checked on this server: try again in a moment",
                refused.getMessage());

        assertTrue(first.get(60, TimeUnit.SECONDS), "the check that ran answers as ever");
        assertEquals(0, checks.running());
        assertFalse(checks.matches("10.0.0.1", "club", "open sesame?", hash), "a check after it runs");
    }

    /** A person mistypes a room's password a few times; a guesser from one address (IPv6: /64) gets 10 a minute. */
    @Test
    void anAddressChecksARoomsPasswordTenTimesAMinute() {
        PasswordHasher fast = new PasswordHasher(1_000);
        String hash = fast.hash("open sesame");
        TestChat.MutableClock clock = new TestChat.MutableClock(Instant.EPOCH);
        PasswordChecks checks = new PasswordChecks(fast, 1, clock);
        for (int i = 0; i < 9; i++) {
            assertFalse(checks.matches("2001:db8::1", "club", "guess " + i, hash));
        }
        assertTrue(checks.matches("2001:db8::2", "club", "open sesame", hash), "the tenth, from the same /64");
        ChatException refused = assertThrows(ChatException.class,
                () -> checks.matches("2001:db8::3", "club", "open sesame", hash));
        assertEquals(ErrorCode.RATE_LIMITED, refused.code());
        assertEquals("more than 10 passwords for club from your address in a minute: try again later",
                refused.getMessage());
        assertTrue(checks.matches("2001:db8:0:1::1", "club", "open sesame", hash), "another network");
        assertTrue(checks.matches("2001:db8::1", "other", "open sesame", hash), "another room");
        clock.advance(Duration.ofMinutes(1));
        assertTrue(checks.matches("2001:db8::1", "club", "open sesame", hash), "a minute later");
    }
}
