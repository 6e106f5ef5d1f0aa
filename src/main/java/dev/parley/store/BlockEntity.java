package dev.parley.store;

import dev.parley.security.BlockStore;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.LocalDateTime;
import java.util.Objects;

/** A user's block of another. */
@Entity
@Table(name = "user_block")
@IdClass(BlockEntity.Key.class)
@NamedQuery(name = BlockEntity.ALL, query = "select b from BlockEntity b")
@NamedQuery(name = BlockEntity.COUNT_OF_BLOCKER,
        query = "select count(b.blocked) from BlockEntity b where b.blocker = :blocker")
public class BlockEntity {

    static final String ALL = "Block.all";
    static final String COUNT_OF_BLOCKER = "Block.countOfBlocker";

    @Id
    @Column(length = 64)
    private String blocker;

    @Id
    @Column(length = 64)
    private String blocked;

    /** UTC. */
    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    protected BlockEntity() {
    }

    BlockEntity(BlockStore.Block block, LocalDateTime createdAt) {
        blocker = block.blocker();
        blocked = block.blocked();
        this.createdAt = createdAt;
    }

    BlockStore.Block toBlock() {
        return new BlockStore.Block(blocker, blocked);
    }

    /** The primary key: blocker and blocked. */
    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        private String blocker;
        private String blocked;

        public Key() {
        }

        Key(BlockStore.Block block) {
            blocker = block.blocker();
            blocked = block.blocked();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(blocker, key.blocker)
                    && Objects.equals(blocked, key.blocked);
        }

        @Override
        public int hashCode() {
            return Objects.hash(blocker, blocked);
        }
    }
}
