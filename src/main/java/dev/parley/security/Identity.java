package dev.parley.security;

import java.time.Instant;
import java.util.Set;

/** A verified token's subject: the user name, the server-wide roles, and when the token expires. */
public record Identity(String user, Set<String> roles, Instant expiresAt) {

    public static final String GUEST = "guest";
}
