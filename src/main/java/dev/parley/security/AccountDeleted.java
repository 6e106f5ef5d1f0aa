package dev.parley.security;

/**
 * A CDI event: {@code user} deleted their account. Its rooms are the chat's, which observes it and ends the
 * memberships; the accounts' side knows nothing of rooms.
 */
public record AccountDeleted(String user) {
}
