package dev.parley.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.LocalDateTime;

/** A user kept out of a room, by whom and since when. */
@Entity
@Table(name = "room_ban",
        uniqueConstraints = @UniqueConstraint(name = "room_ban_room_user", columnNames = {"room_id", "username"}))
@NamedQuery(name = BanEntity.FIND,
        query = "select b from BanEntity b where b.room.name = :room and b.username = :user")
public class BanEntity {

    static final String FIND = "Ban.find";

    @Id
    @Column(length = Ids.LENGTH)
    private String id = Ids.next(System.currentTimeMillis());

    @ManyToOne(optional = false)
    @JoinColumn(name = "room_id", nullable = false)
    private RoomEntity room;

    @Column(nullable = false, length = 64)
    private String username;

    @Column(name = "banned_by", nullable = false, length = 64)
    private String bannedBy;

    /** UTC. */
    @Column(name = "banned_at", nullable = false)
    private LocalDateTime bannedAt;

    protected BanEntity() {
    }

    BanEntity(RoomEntity room, String username, String bannedBy, LocalDateTime bannedAt) {
        this.room = room;
        this.username = username;
        this.bannedBy = bannedBy;
        this.bannedAt = bannedAt;
    }

    String bannedBy() {
        return bannedBy;
    }
}
