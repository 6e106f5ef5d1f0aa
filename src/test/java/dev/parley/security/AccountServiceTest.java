package dev.parley.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.cluster.InMemoryClusterBus;
import dev.parley.cluster.NodeEvent;
import dev.parley.testing.CapturedLog;
import dev.parley.testing.InMemoryAccountStore;
import dev.parley.testing.TestChat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class AccountServiceTest {

    private final InMemoryAccountStore store = new InMemoryAccountStore();
    private final TokenService tokens = new TokenService("test key of at least thirty-two bytes".getBytes(),
            Duration.ofHours(12), Clock.systemUTC(), store::generation);
    private final InMemoryClusterBus bus = new InMemoryClusterBus();
    /** The steady clock a minute of guest sign-ins is timed by. */
    private final TestChat.MutableClock clock = new TestChat.MutableClock(Instant.EPOCH);
    private final AccountService accounts = withAdmin("admin");

    @Test
    void aRegisteredUserLogsInWithThePasswordOnly() {
        assertEquals(AccountService.Registration.CREATED, accounts.register("alice", "correct horse"));
        assertFalse(store.find("alice").orElseThrow().passwordHash().contains("correct horse"),
                "only a hash is kept");

        Identity identity = tokens.verify(accounts.login("alice", "correct horse").orElseThrow().token()).orElseThrow();
        assertEquals("alice", identity.user());
        assertEquals(Set.of(), identity.roles());
        assertTrue(accounts.login("alice", "correct horsE").isEmpty());
        assertTrue(accounts.login("alicia", "correct horse").isEmpty());
        assertTrue(accounts.login("alice", null).isEmpty());
        assertTrue(accounts.login(null, null).isEmpty());
    }

    @Test
    void namesAndPasswordsAreCheckedAtTheirEdges() {
        assertEquals(AccountService.Registration.BAD_NAME, accounts.register("ab", "password"));
        assertEquals(AccountService.Registration.CREATED, accounts.register("abc", "password"));
        assertEquals(AccountService.Registration.CREATED, accounts.register("a".repeat(32), "password"));
        assertEquals(AccountService.Registration.BAD_NAME, accounts.register("a".repeat(33), "password"));
        assertEquals(AccountService.Registration.BAD_NAME, accounts.register("robert'); drop table account;--",
                "password"));
        assertEquals(AccountService.Registration.BAD_NAME, accounts.register("guest-ann", "password"),
                "guest names are anybody's");
        for (String server : new String[] {"system", "JMX", "Retention"}) {
            assertEquals(AccountService.Registration.BAD_NAME, accounts.register(server, "password"),
                    "the server acts as " + server);
        }
        assertEquals(AccountService.Registration.BAD_PASSWORD, accounts.register("bobby", "1234567"));
        assertEquals(AccountService.Registration.CREATED, accounts.register("bobby", "12345678"));
        assertEquals(AccountService.Registration.TAKEN, accounts.register("bobby", "another one"));
        assertEquals(AccountService.Registration.BAD_PASSWORD, accounts.register("emoji", "\uD83D\uDE00".repeat(7)),
                "seven characters, though fourteen UTF-16 units");
        assertEquals(AccountService.Registration.CREATED, accounts.register("emoji", "\uD83D\uDE00".repeat(8)));
        assertEquals(AccountService.Registration.BAD_PASSWORD, accounts.register("carol", "x".repeat(1025)));
        assertEquals(AccountService.Registration.CREATED, accounts.register("carol", "x".repeat(1024)));
        assertEquals("carol", accounts.login("carol", "x".repeat(1024)).orElseThrow().identity().user());
        assertTrue(accounts.login("carol", "x".repeat(1025)).isEmpty(), "a longer one is not even hashed");
    }

    @Test
    void theAdminPasswordIsCheckedAtItsEdges() {
        AccountService root = withAdmin("root");
        assertEquals("parley.admin.password must be 8 to 1024 characters", assertThrows(IllegalStateException.class,
                () -> root.ensureAdmin(Optional.of("1234567"))).getMessage());
        assertThrows(IllegalStateException.class, () -> root.ensureAdmin(Optional.of("x".repeat(1025))));
        assertTrue(store.find("root").isEmpty(), "no admin from a refused password");
        root.ensureAdmin(Optional.of("12345678"));
        withAdmin("boss").ensureAdmin(Optional.of("y".repeat(1024)));
        assertTrue(accounts.login("root", "12345678").isPresent());
        assertTrue(accounts.login("boss", "y".repeat(1024)).isPresent());
    }

    /** An admin of a name sign-in does not take would be made and never get in: the deployment stops instead. */
    @Test
    void theAdminsNameIsOneThatSignsIn() {
        for (String name : new String[] {"ab", "x".repeat(33), "ops team", "guest-ops", "System", "JMX", "retention",
                ""}) {
            assertEquals("parley.admin.user is \"" + name + "\": it must be 3 to 32 of A-Z a-z 0-9 _ - ., neither "
                    + "starting with guest- nor system, jmx or retention", assertThrows(IllegalStateException.class,
                    () -> withAdmin(name).ensureAdmin(Optional.empty())).getMessage());
            assertThrows(IllegalStateException.class, () -> withAdmin(name).ensureAdmin(Optional.of("s3cret pass")));
        }
        withAdmin("ops").ensureAdmin(Optional.of("s3cret pass"));
        withAdmin("o".repeat(32)).ensureAdmin(Optional.of("s3cret pass"));
        assertEquals(Set.of("admin"), accounts.login("ops", "s3cret pass").orElseThrow().identity().roles());
        assertEquals(Set.of("admin"), accounts.login("o".repeat(32), "s3cret pass").orElseThrow().identity().roles());
    }

    /** A member's account named as the admin stays a member's: the configured password does not take it over. */
    @Test
    void anExistingMembersNameMakesNoAdmin() {
        accounts.register("carol", "carol's own password");
        withAdmin("carol").ensureAdmin(Optional.of("s3cret admin pass"));
        assertTrue(accounts.login("carol", "s3cret admin pass").isEmpty());
        assertEquals(Set.of(), accounts.login("carol", "carol's own password").orElseThrow().identity().roles());
    }

    @Test
    void theFirstAdminComesFromConfigAndOnlyOnce() {
        accounts.ensureAdmin(Optional.empty());
        assertTrue(store.find("admin").isEmpty(), "no password configured, no admin");

        accounts.ensureAdmin(Optional.of("s3cret admin pass"));
        assertEquals(Set.of("admin"), tokens.verify(accounts.login("admin", "s3cret admin pass").orElseThrow().token())
                .orElseThrow().roles());

        accounts.ensureAdmin(Optional.of("another password"));
        assertTrue(accounts.login("admin", "another password").isEmpty(), "a restart does not reset the password");
        assertThrows(IllegalStateException.class, () -> withAdmin("root").ensureAdmin(Optional.of("short")));
    }

    /** Nobody registers the admin's name, in any case, before the admin is made from config or after. */
    @Test
    void theAdminsNameIsNeverRegistered() {
        assertEquals(AccountService.Registration.TAKEN, accounts.register("admin", "s3cret admin pass"));
        assertEquals(AccountService.Registration.TAKEN, accounts.register("Admin", "s3cret admin pass"));
        assertTrue(store.find("admin").isEmpty() && store.find("Admin").isEmpty());
        accounts.ensureAdmin(Optional.of("s3cret admin pass"));
        assertEquals(Set.of("admin"), accounts.login("admin", "s3cret admin pass").orElseThrow().identity().roles());
        assertEquals(AccountService.Registration.TAKEN, accounts.register("ADMIN", "another password"));
        assertEquals(AccountService.Registration.CREATED, withAdmin("root").register("Admin", "a password"),
                "where the admin is called root, Admin is anybody's");
    }

    @Test
    void aUserDeletesTheirAccountForGoodAndTheNameStaysTaken() {
        List<NodeEvent> told = new ArrayList<>();
        bus.subscribeToNodeEvents(told::add);
        accounts.register("alice", "correct horse");
        String before = accounts.login("alice", "correct horse").orElseThrow().token();
        assertEquals(AccountService.Deletion.REFUSED, accounts.delete("alice", "correct horsE"));
        assertEquals(AccountService.Deletion.REFUSED, accounts.delete("alicia", "correct horse"));
        assertEquals(AccountService.Deletion.REFUSED, accounts.delete("guest-alice", "correct horse"));
        assertTrue(tokens.verify(before).isPresent(), "nothing changed");

        assertEquals(AccountService.Deletion.DELETED, accounts.delete("alice", "correct horse"));
        assertTrue(tokens.verify(before).isEmpty(), "its tokens");
        assertEquals(List.of(new NodeEvent.SignedOut("alice", 1, true)), told, "its connections, everywhere");
        assertTrue(accounts.login("alice", "correct horse").isEmpty(), "nobody signs in with it");
        assertEquals(AccountService.Deletion.REFUSED, accounts.delete("alice", "correct horse"), "deleted already");
        assertEquals(AccountService.PasswordOutcome.REFUSED,
                accounts.changePassword("alice", "correct horse", "battery staple").outcome());
        assertEquals(AccountService.Reset.NO_ACCOUNT, accounts.resetPassword("alice", "battery staple"),
                "an operator does not bring it back");
        assertEquals(AccountService.Registration.TAKEN, accounts.register("alice", "battery staple"),
                "nobody else comes to write under the name");
    }

    @Test
    void theFirstAdminsAccountIsNotDeleted() {
        accounts.ensureAdmin(Optional.of("s3cret pass"));
        assertEquals(AccountService.Deletion.REFUSED, accounts.delete("admin", "wrong pass"));
        assertEquals(AccountService.Deletion.ADMIN, accounts.delete("admin", "s3cret pass"));
        assertTrue(accounts.login("admin", "s3cret pass").isPresent());
    }

    @Test
    void aNewPasswordEndsTheTokensOfBeforeOnEveryNode() {
        List<NodeEvent> told = new ArrayList<>();
        bus.subscribeToNodeEvents(told::add);
        accounts.register("alice", "correct horse");
        String before = accounts.login("alice", "correct horse").orElseThrow().token();

        assertEquals(AccountService.PasswordOutcome.REFUSED,
                accounts.changePassword("alice", "correct horsE", "battery staple").outcome());
        assertEquals(AccountService.PasswordOutcome.REFUSED,
                accounts.changePassword("alicia", "correct horse", "battery staple").outcome());
        assertEquals(AccountService.PasswordOutcome.REFUSED,
                accounts.changePassword("guest-alice", "correct horse", "battery staple").outcome());
        assertEquals(AccountService.PasswordOutcome.BAD_PASSWORD,
                accounts.changePassword("alice", "correct horse", "1234567").outcome());
        assertEquals(List.of(), told);
        assertTrue(tokens.verify(before).isPresent(), "nothing changed");

        AccountService.PasswordChange changed = accounts.changePassword("alice", "correct horse", "battery staple");
        assertEquals(AccountService.PasswordOutcome.CHANGED, changed.outcome());
        assertTrue(tokens.verify(before).isEmpty(), "the token of before");
        assertEquals(1, tokens.verify(changed.issued().token()).orElseThrow().generation());
        assertEquals(List.of(new NodeEvent.SignedOut("alice", 1, false)), told,
                "the connections of before, everywhere");
        assertTrue(accounts.login("alice", "correct horse").isEmpty());
        String after = accounts.login("alice", "battery staple").orElseThrow().token();
        assertTrue(tokens.verify(after).isPresent());

        assertEquals(AccountService.PasswordOutcome.CHANGED,
                accounts.changePassword("alice", "battery staple", "battery staple").outcome(), "the same again");
        assertTrue(tokens.verify(after).isEmpty(), "signs out everywhere");
    }

    /** An account made before its name was reserved signs in no more: the operator is told its name at start. */
    @Test
    void anAccountOfANameReservedSinceIsNamedToTheOperator() {
        accounts.register("ann", "correct horse");
        assertEquals(List.of(), accounts.warnOfReservedAccounts());
        store.create(new Account("jmx", new PasswordHasher(1_000).hash("correct horse"), Set.of()));
        try (CapturedLog log = CapturedLog.of(AccountService.class)) {
            assertEquals(List.of("jmx"), accounts.warnOfReservedAccounts());
            LogRecord warning = log.records().get(0);
            assertEquals(Level.WARNING, warning.getLevel());
            assertTrue(warning.getMessage().startsWith("the account jmx has a name the server acts as"),
                    warning.getMessage());
        }
        assertTrue(accounts.login("jmx", "correct horse").isEmpty());
    }

    /** A new password, the user's own or the operator's, is held to a registration's edges (8 to 1,024). */
    @Test
    void aNewPasswordIsCheckedAtItsEdges() {
        int longest = AccountService.MAX_PASSWORD;
        String shortest = "s".repeat(AccountService.MIN_PASSWORD);
        accounts.register("alice", "correct horse");
        assertEquals(AccountService.PasswordOutcome.BAD_PASSWORD,
                accounts.changePassword("alice", "correct horse", "x".repeat(longest + 1)).outcome());
        assertEquals(AccountService.PasswordOutcome.CHANGED,
                accounts.changePassword("alice", "correct horse", "x".repeat(longest)).outcome());
        assertEquals(AccountService.PasswordOutcome.CHANGED,
                accounts.changePassword("alice", "x".repeat(longest), shortest).outcome());
        assertTrue(accounts.login("alice", shortest).isPresent());

        assertEquals(AccountService.Reset.BAD_PASSWORD, accounts.resetPassword("alice", shortest.substring(1)));
        assertEquals(AccountService.Reset.BAD_PASSWORD, accounts.resetPassword("alice", "y".repeat(longest + 1)));
        assertEquals(AccountService.Reset.SET, accounts.resetPassword("alice", "y".repeat(longest)));
        assertTrue(accounts.login("alice", "y".repeat(longest)).isPresent());
        String another = "z".repeat(AccountService.MIN_PASSWORD);
        assertEquals(AccountService.Reset.SET, accounts.resetPassword("alice", another));
        assertTrue(accounts.login("alice", another).isPresent());
    }

    /** The user's own change lands between the read of the account and the write of another. */
    @Test
    void aChangeOvertakenByAnotherIsRefusedAndAnOperatorsReadsAgainAFewTimes() {
        PasswordHasher hasher = new PasswordHasher(1_000);
        accounts.register("alice", "correct horse");
        AtomicInteger ownChanges = new AtomicInteger();
        AccountStore racing = new AccountStore() {
            @Override
            public Optional<Account> find(String user) {
                return store.find(user);
            }

            @Override
            public boolean create(Account account) {
                return store.create(account);
            }

            @Override
            public Optional<Account> replacePassword(String user, String expectedHash, String newHash) {
                if (ownChanges.getAndDecrement() > 0) {
                    store.replacePassword(user, expectedHash, hasher.hash("her own"));
                }
                return store.replacePassword(user, expectedHash, newHash);
            }

            @Override
            public Map<String, Integer> generations(Collection<String> users) {
                return store.generations(users);
            }

            @Override
            public List<Listed> list(String prefix, String after, int limit) {
                return store.list(prefix, after, limit);
            }
        };
        AccountService overtaken = new AccountService(racing, hasher, tokens, true, guests(1_000), "admin", bus);

        ownChanges.set(1);
        assertEquals(AccountService.PasswordOutcome.REFUSED,
                overtaken.changePassword("alice", "correct horse", "battery staple").outcome());
        assertTrue(accounts.login("alice", "her own").isPresent(), "the change that came first stands");

        ownChanges.set(2);
        assertEquals(AccountService.Reset.SET, overtaken.resetPassword("alice", "from the operator"));
        assertTrue(accounts.login("alice", "from the operator").isPresent(), "read a third time");
        ownChanges.set(3);
        assertEquals(AccountService.Reset.RACED, overtaken.resetPassword("alice", "from the operator again"));
        assertTrue(accounts.login("alice", "her own").isPresent());
        assertEquals(AccountService.Reset.NO_ACCOUNT, overtaken.resetPassword("carol", "from the operator"));
    }

    @Test
    void guestsGetTokensUnlessSwitchedOff() {
        AccountService.GuestLogin ann = accounts.guest("ann", "10.0.0.1");
        assertEquals(AccountService.GuestOutcome.ISSUED, ann.outcome());
        assertEquals(Set.of("guest"), tokens.verify(ann.issued().token()).orElseThrow().roles());
        assertEquals("guest-ann", ann.issued().identity().user());
        assertEquals(AccountService.GuestOutcome.BAD_NICKNAME, accounts.guest("a b", "10.0.0.1").outcome());
        assertEquals(AccountService.GuestOutcome.BAD_NICKNAME,
                accounts.guest("x".repeat(33), "10.0.0.1").outcome());
        assertEquals(AccountService.GuestOutcome.BAD_NICKNAME, accounts.guest("", "10.0.0.1").outcome());
        assertEquals("guest-" + "x".repeat(32),
                accounts.guest("x".repeat(32), "10.0.0.1").issued().identity().user());
        assertEquals("guest-x", accounts.guest("x", "10.0.0.1").issued().identity().user());

        AccountService closed = new AccountService(store, new PasswordHasher(1_000), tokens, false, guests(1_000),
                "admin", bus);
        assertEquals(AccountService.GuestOutcome.DISABLED, closed.guest("ann", "10.0.0.1").outcome());
        assertEquals(AccountService.Registration.CREATED, closed.register("alice", "correct horse"),
                "accounts still work");
    }

    @Test
    void anAddressSignsInItsGuestsAMinuteAndNoMore() {
        AccountService capped = new AccountService(store, new PasswordHasher(1_000), tokens, true, guests(3), "admin",
                bus);
        assertEquals(AccountService.GuestOutcome.BAD_NICKNAME, capped.guest("a b", "2001:db8::1").outcome(),
                "a refused nickname is not counted");
        for (int i = 1; i <= 3; i++) {
            assertEquals(AccountService.GuestOutcome.ISSUED, capped.guest("g" + i, "2001:db8::1").outcome(),
                    "guest " + i);
        }
        AccountService.GuestLogin fourth = capped.guest("g4", "2001:db8::2");
        assertEquals(AccountService.GuestOutcome.TOO_MANY, fourth.outcome(), "the same /64 network");
        assertNull(fourth.issued(), "no token");
        assertEquals(AccountService.GuestOutcome.ISSUED, capped.guest("g4", "10.0.0.1").outcome(),
                "another address");

        clock.advance(Duration.ofSeconds(59));
        assertEquals(AccountService.GuestOutcome.TOO_MANY, capped.guest("g5", "2001:db8::1").outcome(),
                "the minute is not over");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(AccountService.GuestOutcome.ISSUED, capped.guest("g5", "2001:db8::1").outcome(),
                "a minute later");
    }

    @Test
    void hashesAreSaltedAndCarryTheirCost() {
        PasswordHasher hasher = new PasswordHasher(1_000);
        String one = hasher.hash("same password");
        assertNotEquals(one, hasher.hash("same password"));
        assertTrue(one.startsWith("pbkdf2-sha256$1000$"), one);
        assertTrue(new PasswordHasher(2_000).matches("same password", one), "the cost is read from the hash");
        assertFalse(hasher.matches("same password", null));
        assertFalse(hasher.matches("same password", "garbage"));
    }

    /** A count of guest sign-ins per address, on this test's clock. */
    private AddressCap guests(int perMinute) {
        return new AddressCap(perMinute, clock);
    }

    private AccountService withAdmin(String admin) {
        return new AccountService(store, new PasswordHasher(1_000), tokens, true, guests(1_000), admin, bus);
    }
}
