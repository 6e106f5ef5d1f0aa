package dev.parley.store;

import dev.parley.admin.AuditEntry;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** One row of the audit trail. */
@Entity
@Table(name = "audit_entry")
@NamedQuery(name = AuditEntity.RECENT, query = "select a from AuditEntity a order by a.createdAt desc, a.id desc")
public class AuditEntity {

    static final String RECENT = "Audit.recent";
    static final int TARGET_LENGTH = 200;
    static final int DETAIL_LENGTH = 1000;

    @Id
    @Column(length = Ids.LENGTH)
    private String id;

    /** UTC. */
    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    @Column(nullable = false, length = 64)
    private String actor;

    @Column(nullable = false, length = 32)
    private String action;

    @Column(length = TARGET_LENGTH)
    private String target;

    @Column(length = DETAIL_LENGTH)
    private String detail;

    protected AuditEntity() {
    }

    AuditEntity(AuditEntry entry) {
        id = Ids.next(entry.at().toEpochMilli());
        createdAt = LocalDateTime.ofInstant(entry.at(), ZoneOffset.UTC);
        actor = entry.by();
        action = entry.action();
        target = clip(entry.target(), TARGET_LENGTH);
        detail = clip(entry.detail(), DETAIL_LENGTH);
    }

    AuditEntry toEntry() {
        return new AuditEntry(createdAt.toInstant(ZoneOffset.UTC), actor, action, target, detail);
    }

    private static String clip(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length);
    }
}
