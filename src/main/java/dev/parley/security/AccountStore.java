package dev.parley.security;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
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

    /**
     * Up to {@code limit} accounts whose name starts with {@code prefix} in any case (its characters as they are,
     * none a wildcard), after the name {@code after} (null: from the first), in name order.
     */
    List<Listed> list(String prefix, String after, int limit);

    /** An account as an operator's list shows it, with when it was made. */
    record Listed(Account account, Instant created) {
    }
}
