package dev.parley.store;

import dev.parley.room.ModerationStore;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** A member of a room muted there by its owner or a moderator, until when, by whom. */
@Entity
@Table(name = "room_mute",
        uniqueConstraints = @UniqueConstraint(name = "room_mute_room_user", columnNames = {"room_id", "username"}))
@NamedQuery(name = MuteEntity.FIND,
        query = "select m from MuteEntity m where m.room.name = :room and m.username = :user")
@NamedQuery(name = MuteEntity.IN_FORCE,
        query = "select m from MuteEntity m join fetch m.room where m.untilAt is null or m.untilAt > :now")
public class MuteEntity {

    static final String FIND = "Mute.find";
    static final String IN_FORCE = "Mute.inForce";

    @Id
    @Column(length = Ids.LENGTH)
    private String id = Ids.next(System.currentTimeMillis());

    @ManyToOne(optional = false)
    @JoinColumn(name = "room_id", nullable = false)
    private RoomEntity room;

    @Column(nullable = false, length = 64)
    private String username;

    /** UTC; null: until unmuted. */
    @Column(name = "until_at")
    private LocalDateTime untilAt;

    @Column(name = "muted_by", nullable = false, length = 64)
    private String mutedBy;

    /** UTC. */
    @Column(name = "muted_at", nullable = false)
    private LocalDateTime mutedAt;

    protected MuteEntity() {
    }

    MuteEntity(RoomEntity room, String username) {
        this.room = room;
        this.username = username;
    }

    void set(ModerationStore.Mute mute) {
        untilAt = mute.until() == null ? null : LocalDateTime.ofInstant(mute.until(), ZoneOffset.UTC);
        mutedBy = mute.by();
        mutedAt = LocalDateTime.ofInstant(mute.at(), ZoneOffset.UTC);
    }

    ModerationStore.Mute toMute() {
        return new ModerationStore.Mute(room.name(), username, untilAt == null ? null
                : untilAt.toInstant(ZoneOffset.UTC), mutedBy, mutedAt.toInstant(ZoneOffset.UTC));
    }
}
