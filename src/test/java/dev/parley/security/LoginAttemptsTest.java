package dev.parley.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.TestChat;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Logins and registrations: a few a minute from an address, none while the node hashes all it may. */
class LoginAttemptsTest {

    private final TestChat.MutableClock clock = new TestChat.MutableClock(Instant.EPOCH);
    private final AtomicInteger made = new AtomicInteger();

    @Test
    void anAddressMakesItsAttemptsAMinuteAndNoMore() {
        LoginAttempts attempts = new LoginAttempts(new HashTurns(1), 3, clock);
        for (int i = 1; i <= 3; i++) {
            assertEquals(i, attempts.attempt("2001:db8::1", made::incrementAndGet).answer(), "attempt " + i);
        }
        LoginAttempts.Attempt<Integer> fourth = attempts.attempt("2001:db8::2", made::incrementAndGet);
        assertEquals(LoginAttempts.Refusal.TOO_MANY, fourth.refusal(), "the same /64 network");
        assertNull(fourth.answer());
        assertEquals(3, made.get(), "the fourth was not made");

        assertEquals(4, attempts.attempt("2001:db8:0:1::1", made::incrementAndGet).answer(), "another network");
        assertEquals(5, attempts.attempt("10.0.0.1", made::incrementAndGet).answer(), "another address");
        clock.advance(Duration.ofSeconds(59));
        assertEquals(LoginAttempts.Refusal.TOO_MANY,
                attempts.attempt("2001:db8::1", made::incrementAndGet).refusal(), "the minute is not over");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(6, attempts.attempt("2001:db8::1", made::incrementAndGet).answer(), "a minute later");
    }

    @Test
    void anAttemptWhileEveryTurnIsTakenIsRefusedAtOnceAndCostsNothing() throws Exception {
        HashTurns turns = new HashTurns(1);
        LoginAttempts attempts = new LoginAttempts(turns, 1, clock);
        CountDownLatch hashing = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        // A room's password being checked holds the node's one turn.
        CompletableFuture<Boolean> roomPassword = CompletableFuture.supplyAsync(() -> turns.tryRun(() -> {
            hashing.countDown();
            return await(done);
        }).orElseThrow());
        assertTrue(hashing.await(10, TimeUnit.SECONDS), "the room's password was never checked");

        LoginAttempts.Attempt<Integer> refused = attempts.attempt("10.0.0.1", made::incrementAndGet);
        assertEquals(LoginAttempts.Refusal.BUSY, refused.refusal());
        assertEquals(0, made.get(), "not made");

        done.countDown();
        assertTrue(roomPassword.get(10, TimeUnit.SECONDS));
        assertEquals(0, turns.running());
        assertEquals(1, attempts.attempt("10.0.0.1", made::incrementAndGet).answer(),
                "the refused attempt did not use the address's one");
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
