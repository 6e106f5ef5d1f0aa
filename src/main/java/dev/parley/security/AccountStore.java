package dev.parley.security;

import java.util.Optional;

/** Registered accounts. Every method is one transaction. */
public interface AccountStore {

    Optional<Account> find(String user);

    /** @return false when the name is taken (nothing was changed) */
    boolean create(Account account);
}
