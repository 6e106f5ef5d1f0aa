package dev.parley.store;

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
 * A pinned message of a room, by the room's row and the message's seq. The database drops the pin with its message
 * (retention, a purge); deleting the message removes its pin in the deletion's transaction.
 */
@Entity
@Table(name = "pin")
@IdClass(PinEntity.Key.class)
@NamedQuery(name = PinEntity.COUNT_IN, query = "select count(p) from PinEntity p where p.roomId = :room")
@NamedQuery(name = PinEntity.REMOVE, query = "delete from PinEntity p where p.roomId = :room and p.seq = :seq")
public class PinEntity {

    static final String COUNT_IN = "Pin.countIn";
    static final String REMOVE = "Pin.remove";

    @Id
    @Column(name = "room_id", length = Ids.LENGTH)
    private String roomId;

    @Id
    private long seq;

    @Column(name = "pinned_by", nullable = false, length = 64)
    private String pinnedBy;

    /** UTC. */
    @Column(name = "pinned_at", nullable = false)
    private LocalDateTime pinnedAt;

    protected PinEntity() {
    }

    PinEntity(String roomId, long seq, String pinnedBy, LocalDateTime pinnedAt) {
        this.roomId = roomId;
        this.seq = seq;
        this.pinnedBy = pinnedBy;
        this.pinnedAt = pinnedAt;
    }

    /** The primary key: the room's row and the message's seq. */
    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        private String roomId;
        private long seq;

        public Key() {
        }

        Key(String roomId, long seq) {
            this.roomId = roomId;
            this.seq = seq;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(roomId, key.roomId) && seq == key.seq;
        }

        @Override
        public int hashCode() {
            return Objects.hash(roomId, seq);
        }
    }
}
