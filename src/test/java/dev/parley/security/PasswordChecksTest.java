package dev.parley.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Room passwords are checked a bounded number at a time; one more is refused at once, not queued. */
class PasswordChecksTest {

    /** Slow enough that a check is still running when the test asks for another (seconds on this machine). */
    private static final PasswordHasher SLOW = new PasswordHasher(5_000_000);

    @Test
    void aCheckPastTheBoundIsRefusedAndTheNextOneAfterItRuns() throws Exception {
        PasswordChecks checks = new PasswordChecks(SLOW, 1);
        String hash = SLOW.hash("open sesame");
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> checks.matches("open sesame", hash));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (checks.running() == 0 && !first.isDone()) {
            assertTrue(System.nanoTime() < deadline, "the first check never started");
            Thread.onSpinWait();
        }
        assertFalse(first.isDone(), "the first check ended before the second was asked for: a slower hasher needed");

        ChatException refused = assertThrows(ChatException.class, () -> checks.matches("open sesame", hash));
        assertEquals(ErrorCode.RATE_LIMITED, refused.code());
        assertEquals("too many passwords are being checked on this server: try again in a moment",
                refused.getMessage());

        assertTrue(first.get(60, TimeUnit.SECONDS), "the check that ran answers as ever");
        assertEquals(0, checks.running());
        assertFalse(checks.matches("open sesame?", hash), "a check after it runs");
    }
}
