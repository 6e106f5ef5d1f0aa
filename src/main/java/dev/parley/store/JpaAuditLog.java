package dev.parley.store;

import dev.parley.admin.AuditEntry;
import dev.parley.admin.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;

/** The audit trail in the {@code audit_entry} table. */
@ApplicationScoped
public class JpaAuditLog implements AuditLog {

    @PersistenceContext
    EntityManager em;

    @Override
    @Transactional
    public void record(AuditEntry entry) {
        em.persist(new AuditEntity(entry));
    }

    @Override
    @Transactional
    public List<AuditEntry> recent(int limit) {
        return em.createNamedQuery(AuditEntity.RECENT, AuditEntity.class).setMaxResults(limit).getResultStream()
                .map(AuditEntity::toEntry).toList();
    }
}
