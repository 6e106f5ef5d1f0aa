package dev.parley.admin;

import java.util.List;

/** The durable trail of admin operations. */
public interface AuditLog {

    void record(AuditEntry entry);

    /** The newest {@code limit} entries, newest first. */
    List<AuditEntry> recent(int limit);
}
