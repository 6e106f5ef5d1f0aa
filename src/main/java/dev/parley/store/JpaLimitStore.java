package dev.parley.store;

import dev.parley.admin.LimitStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.Map;
import java.util.stream.Collectors;

/** The runtime limits an operator changed, in the {@code changed_limit} table. */
@ApplicationScoped
public class JpaLimitStore implements LimitStore {

    @PersistenceContext
    EntityManager em;

    @Inject
    Transactions transactions;

    @Override
    @Transactional
    public Map<String, Integer> changed() {
        return em.createNamedQuery(ChangedLimitEntity.ALL, ChangedLimitEntity.class).getResultStream()
                .collect(Collectors.toMap(ChangedLimitEntity::name, ChangedLimitEntity::value));
    }

    /** Two admins changing a limit never stored before both insert it: the loser's second run replaces the row. */
    @Override
    public void change(Map<String, Integer> limits) {
        transactions.retryingOnce(() -> {
            limits.forEach((name, value) -> em.merge(new ChangedLimitEntity(name, value)));
            return null;
        });
    }

    @Override
    @Transactional
    public void reset() {
        em.createNamedQuery(ChangedLimitEntity.RESET).executeUpdate();
    }
}
