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
import org.junit.jupiter.api.function.Executable;

/** Room passwords are checked a bounded number at a time; one more is refused at once, not queued. */
class PasswordChecksTest {

    /** Slow enough that a check is still running when the test asks for another (about a second a hash here). */
    private static final PasswordHasher SLOW = new PasswordHasher(5_000_000);

    @Test
    void aCheckPastTheBoundIsRefusedAndTheNextOneAfterItRuns() throws Exception {
        HashTurns turns = new HashTurns(1);
        PasswordChecks checks = new PasswordChecks(SLOW, turns, 10, Clock.systemUTC());
        String hash = SLOW.hash("open sesame");
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(
                () -> checks.matches("ann", "10.0.0.1", "club", "open sesame", hash));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (turns.running() == 0 && !first.isDone()) {
            assertTrue(System.nanoTime() < deadline, "the first check never started");
            Thread.onSpinWait();
        }
        assertFalse(first.isDone(), "the first check ended before the second was asked for: a slower hasher needed");

        ChatException refused = assertThrows(ChatException.class,
                () -> checks.matches("ann", "10.0.0.1", "club", "open sesame", hash));
        assertEquals(ErrorCode.RATE_LIMITED, refused.code());
        assertEquals("too many passwords are being checked on this server: try again in a moment",
                refused.getMessage());

        assertTrue(first.get(60, TimeUnit.SECONDS), "the check that ran answers as ever");
        assertEquals(0, turns.running());
        assertFalse(checks.matches("ann", "10.0.0.1", "club", "open sesame?", hash), "a check after it runs");
    }

    /**
     * A person mistypes a room's password a few times: 10 checks a minute for each user and room, and as many as
     * the operator allows for each address (IPv6: /64) and room (behind a proxy, every client has its address).
     */
    @Test
    void aUserAndAnAddressCheckARoomsPasswordAFewTimesAMinute() {
        PasswordHasher fast = new PasswordHasher(1_000);
        String hash = fast.hash("open sesame");
        TestChat.MutableClock clock = new TestChat.MutableClock(Instant.EPOCH);
        PasswordChecks checks = new PasswordChecks(fast, new HashTurns(1), 15, clock);
        for (int i = 0; i < 9; i++) {
            assertFalse(checks.matches("eve", "2001:db8::1", "club", "guess " + i, hash));
        }
        assertTrue(checks.matches("eve", "2001:db8::2", "club", "open sesame", hash), "eve's tenth");
        assertRefused("more than 10 passwords for club from you in a minute: try again later",
                () -> checks.matches("eve", "10.0.0.9", "club", "open sesame", hash));
        assertTrue(checks.matches("eve", "2001:db8::1", "other", "open sesame", hash), "another room");

        for (int i = 0; i < 5; i++) {
            assertTrue(checks.matches("guest-" + i, "2001:db8::3", "club", "open sesame", hash), "the fifteenth");
        }
        assertRefused("more than 15 passwords for club from your address in a minute: try again later",
                () -> checks.matches("bob", "2001:db8::4", "club", "open sesame", hash));
        assertTrue(checks.matches("bob", "2001:db8:0:1::1", "club", "open sesame", hash), "another network");

        clock.advance(Duration.ofMinutes(1));
        assertTrue(checks.matches("eve", "2001:db8::1", "club", "open sesame", hash), "a minute later");
    }

    private static void assertRefused(String message, Executable check) {
        ChatException refused = assertThrows(ChatException.class, check);
        assertEquals(ErrorCode.RATE_LIMITED, refused.code());
        assertEquals(message, refused.getMessage());
    }
}
