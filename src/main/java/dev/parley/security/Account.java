package dev.parley.security;

import java.util.Set;

/** A registered user: the name, the password's hash (never the password) and the server-wide roles. */
public record Account(String user, String passwordHash, Set<String> roles) {

    public Account {
        roles = Set.copyOf(roles);
    }
}
