package dev.parley.store;

import dev.parley.delivery.MessageStore;
import dev.parley.protocol.ClientFrame;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One person's reaction to a message, by the room's row, the message's seq, the person and the emoji. The database
 * drops it with its message (retention, a purge); a deletion removes the message's reactions in its transaction.
 */
@Entity
@Table(name = "reaction")
@IdClass(ReactionEntity.Key.class)
@NamedQuery(name = ReactionEntity.KINDS_ON,
        query = "select distinct r.emoji from ReactionEntity r where r.roomId = :room and r.seq = :seq")
@NamedQuery(name = ReactionEntity.REMOVE, query = "delete from ReactionEntity r where r.roomId = :room"
        + " and r.seq = :seq and r.username = :user and r.emoji = :emoji")
@NamedQuery(name = ReactionEntity.ON, query = "select r from ReactionEntity r where r.roomId = :room"
        + " and r.seq in :seqs order by r.reactedAt, r.seq, r.username, r.emoji")
@NamedQuery(name = ReactionEntity.REMOVE_ALL_ON,
        query = "delete from ReactionEntity r where r.roomId = :room and r.seq = :seq")
public class ReactionEntity {

    static final String KINDS_ON = "Reaction.kindsOn";
    static final String REMOVE = "Reaction.remove";
    static final String REMOVE_ALL_ON = "Reaction.removeAllOn";
    static final String ON = "Reaction.on";

    @Id
    @Column(name = "room_id", length = Ids.LENGTH)
    private String roomId;

    @Id
    private long seq;

    @Id
    @Column(length = 64)
    private String username;

    @Id
    @Column(length = ClientFrame.React.MAX_CHARS)
    private String emoji;

    /** UTC. */
    @Column(name = "reacted_at", nullable = false)
    private LocalDateTime reactedAt;

    protected ReactionEntity() {
    }

    ReactionEntity(Key key, LocalDateTime reactedAt) {
        this.roomId = key.roomId;
        this.seq = key.seq;
        this.username = key.username;
        this.emoji = key.emoji;
        this.reactedAt = reactedAt;
    }

    /** The primary key: the room's row, the message's seq, who reacted and with what. */
    MessageStore.Reaction toReaction() {
        return new MessageStore.Reaction(seq, username, emoji);
    }

    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        private String roomId;
        private long seq;
        private String username;
        private String emoji;

        public Key() {
        }

        Key(String roomId, long seq, String username, String emoji) {
            this.roomId = roomId;
            this.seq = seq;
            this.username = username;
            this.emoji = emoji;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(roomId, key.roomId) && seq == key.seq
                    && Objects.equals(username, key.username) && Objects.equals(emoji, key.emoji);
        }

        @Override
        public int hashCode() {
            return Objects.hash(roomId, seq, username, emoji);
        }
    }
}
