package dev.parley.security;

import java.time.Instant;
import java.util.Set;

/**
 * A verified token's subject: the user name, the server-wide roles, when the token expires, and the generation
 * of the user's tokens it belongs to.
 */
public record Identity(String user, Set<String> roles, Instant expiresAt, int generation) {

    public static final String GUEST = "guest";
}
