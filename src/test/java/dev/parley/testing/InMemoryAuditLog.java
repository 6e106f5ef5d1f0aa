package dev.parley.testing;

import dev.parley.admin.AuditEntry;
import dev.parley.admin.AuditLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The audit trail in a list. */
public final class InMemoryAuditLog implements AuditLog {

    private final List<AuditEntry> entries = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void record(AuditEntry entry) {
        entries.add(entry);
    }

    @Override
    public List<AuditEntry> recent(int limit) {
        synchronized (entries) {
            List<AuditEntry> newestFirst = new ArrayList<>(entries);
            Collections.reverse(newestFirst);
            return List.copyOf(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
        }
    }
}
