package dev.parley.admin;

import java.time.Instant;

/** One operation an operator ran: who, what, on what, when, and the outcome in words. */
public record AuditEntry(Instant at, String by, String action, String target, String detail) {
}
