package dev.parley.store;

import dev.parley.protocol.ClientFrame;
import dev.parley.room.ModerationStore;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** An invitation link of a room: whoever has its code joins the room until it expires or is removed. */
@Entity
@Table(name = "room_link")
@NamedQuery(name = RoomLinkEntity.IN_FORCE,
        query = "select l.room.name from RoomLinkEntity l where l.code = :code and l.expiresAt > :now")
@NamedQuery(name = RoomLinkEntity.COUNT_IN, query = "select count(l) from RoomLinkEntity l where l.room = :room")
@NamedQuery(name = RoomLinkEntity.REMOVE_EXPIRED,
        query = "delete from RoomLinkEntity l where l.room = :room and l.expiresAt <= :now")
@NamedQuery(name = RoomLinkEntity.REMOVE_ALL, query = "delete from RoomLinkEntity l where l.room = :room")
@NamedQuery(name = RoomLinkEntity.OF_ROOM, query = "select l from RoomLinkEntity l where l.room = :room"
        + " and l.expiresAt > :now order by l.expiresAt desc, l.code")
public class RoomLinkEntity {

    static final String IN_FORCE = "RoomLink.inForce";
    static final String COUNT_IN = "RoomLink.countIn";
    static final String REMOVE_EXPIRED = "RoomLink.removeExpired";
    static final String REMOVE_ALL = "RoomLink.removeAll";
    static final String OF_ROOM = "RoomLink.ofRoom";

    @Id
    @Column(length = ClientFrame.Link.MAX_CODE_CHARS)
    private String code;

    @ManyToOne(optional = false)
    @JoinColumn(name = "room_id", nullable = false)
    private RoomEntity room;

    @Column(name = "created_by", nullable = false, length = 64)
    private String createdBy;

    /** UTC. */
    @Column(name = "expires_at", nullable = false)
    private LocalDateTime expiresAt;

    protected RoomLinkEntity() {
    }

    RoomLinkEntity(String code, RoomEntity room, String createdBy, LocalDateTime expiresAt) {
        this.code = code;
        this.room = room;
        this.createdBy = createdBy;
        this.expiresAt = expiresAt;
    }

    ModerationStore.RoomLink toRoomLink() {
        return new ModerationStore.RoomLink(code, createdBy, expiresAt.toInstant(ZoneOffset.UTC));
    }

    boolean isOf(RoomEntity other) {
        return room.id().equals(other.id());
    }

    boolean inForceAt(LocalDateTime now) {
        return expiresAt.isAfter(now);
    }
}
