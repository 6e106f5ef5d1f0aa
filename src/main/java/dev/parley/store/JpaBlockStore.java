package dev.parley.store;

import dev.parley.security.BlockStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;

/** Blocks between users in the {@code user_block} table. */
@ApplicationScoped
public class JpaBlockStore implements BlockStore {

    @PersistenceContext
    EntityManager em;

    @Inject
    Transactions transactions;

    @Override
    @Transactional
    public List<Block> all() {
        return em.createNamedQuery(BlockEntity.ALL, BlockEntity.class).getResultStream().map(BlockEntity::toBlock)
                .toList();
    }

    /** The same block from two devices at once: the loser's second run finds the winner's row, {@code ALREADY}. */
    @Override
    public Put put(Block block, int max) {
        return transactions.retryingOnce(() -> {
            if (em.find(BlockEntity.class, new BlockEntity.Key(block)) != null) {
                return Put.ALREADY;
            }
            long blocks = em.createNamedQuery(BlockEntity.COUNT_OF_BLOCKER, Long.class)
                    .setParameter("blocker", block.blocker()).getSingleResult();
            if (blocks >= max) {
                return Put.FULL;
            }
            em.persist(new BlockEntity(block, JpaRoomStore.now()));
            return Put.ADDED;
        });
    }

    @Override
    @Transactional
    public boolean remove(Block block) {
        BlockEntity entity = em.find(BlockEntity.class, new BlockEntity.Key(block));
        if (entity != null) {
            em.remove(entity);
        }
        return entity != null;
    }
}
