package dev.parley.security;

import java.util.Set;

/**
 * A registered user: the name, the password's hash (never the password), the server-wide roles, and the
 * generation of its tokens: a token of an older generation is no longer accepted.
 */
public record Account(String user, String passwordHash, Set<String> roles, int generation) {

    public Account {
        roles = Set.copyOf(roles);
    }

    /** A new account, whose tokens are of generation 0. */
    public Account(String user, String passwordHash, Set<String> roles) {
        this(user, passwordHash, roles, 0);
    }
}
