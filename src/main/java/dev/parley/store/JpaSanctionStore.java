package dev.parley.store;

import dev.parley.security.Sanction;
import dev.parley.security.SanctionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/** Server-wide mutes and bans in the database. */
@ApplicationScoped
public class JpaSanctionStore implements SanctionStore {

    @PersistenceContext
    EntityManager em;

    @Inject
    Transactions transactions;

    @Override
    @Transactional
    public List<Sanction> all() {
        return em.createNamedQuery(SanctionEntity.ALL, SanctionEntity.class).getResultStream()
                .map(SanctionEntity::toSanction).toList();
    }

    /** Two admins sanctioning one user at once both insert: the loser's second run replaces the winner's row. */
    @Override
    public void put(Sanction sanction) {
        transactions.retryingOnce(() -> em.merge(new SanctionEntity(sanction)));
    }

    @Override
    @Transactional
    public Optional<Sanction> remove(String user, Sanction.Kind kind) {
        Optional<SanctionEntity> entity = Optional.ofNullable(em.find(SanctionEntity.class,
                new SanctionEntity.Key(user, kind)));
        entity.ifPresent(em::remove);
        return entity.map(SanctionEntity::toSanction);
    }
}
