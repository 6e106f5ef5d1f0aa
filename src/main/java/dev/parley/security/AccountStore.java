package dev.parley.security;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** Registered accounts. Every method is one transaction. */
public interface AccountStore {

    Optional<Account> find(String user);

    /** @return false when the name is taken (nothing was changed) */
    boolean create(Account account);

    /**
     * Gives the account a new password hash, if its hash is still {@code expectedHash}, and the next generation of
     * tokens.
     *
     * @return the account as it now is; empty when there is no such account or its hash was another
     */
    Optional<Account> replacePassword(String user, String expectedHash, String newHash);

    /** The current generation of tokens of each of these users who has an account. */
    Map<String, Integer> generations(Collection<String> users);
}
