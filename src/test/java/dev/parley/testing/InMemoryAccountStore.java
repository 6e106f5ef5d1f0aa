package dev.parley.testing;

import dev.parley.security.Account;
import dev.parley.security.AccountStore;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Accounts in memory. */
public final class InMemoryAccountStore implements AccountStore {

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    @Override
    public Optional<Account> find(String user) {
        return Optional.ofNullable(accounts.get(user));
    }

    @Override
    public boolean create(Account account) {
        return accounts.putIfAbsent(account.user(), account) == null;
    }

    @Override
    public Optional<Account> replacePassword(String user, String expectedHash, String newHash) {
        // Hashes are salted: a new one never equals the one it replaces.
        return Optional.ofNullable(accounts.computeIfPresent(user, (name, account) ->
                account.passwordHash().equals(expectedHash)
                        ? new Account(name, newHash, account.roles(), account.generation() + 1) : account))
                .filter(account -> account.passwordHash().equals(newHash));
    }

    /** Each account made at this time. */
    public static final Instant CREATED = Instant.parse("2026-11-22T08:00:00Z");

    @Override
    public List<Listed> list(String prefix, String after, int limit) {
        String start = prefix.toLowerCase(Locale.ROOT);
        return accounts.values().stream()
                .filter(a -> a.user().toLowerCase(Locale.ROOT).startsWith(start))
                .filter(a -> after == null || a.user().compareTo(after) > 0)
                .sorted(Comparator.comparing(Account::user)).limit(limit)
                .map(a -> new Listed(a, CREATED)).toList();
    }

    @Override
    public Map<String, Integer> generations(Collection<String> users) {
        return users.stream().distinct().filter(accounts::containsKey)
                .collect(Collectors.toMap(Function.identity(), user -> accounts.get(user).generation()));
    }

    /** The user's current generation of tokens; 0 without an account, as a guest's. */
    public int generation(String user) {
        return find(user).map(Account::generation).orElse(0);
    }
}
