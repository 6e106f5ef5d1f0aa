package dev.parley.store;

import dev.parley.security.BlockStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;

/** Blocks between users in the {@code user_block} table. */
@ApplicationScoped
public class JpaBlockStore implements BlockStore {

    @PersistenceContext
    EntityManager em;

    @Override
    @Transactional
    public List<Block> all() {
        return em.createNamedQuery(BlockEntity.ALL, BlockEntity.class).getResultStream().map(BlockEntity::toBlock)
                .toList();
    }

    @Override
    @Transactional
    public boolean put(Block block) {
        if (em.find(BlockEntity.class, new BlockEntity.Key(block)) != null) {
            return false;
        }
        em.persist(new BlockEntity(block, JpaRoomStore.now()));
        return true;
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
