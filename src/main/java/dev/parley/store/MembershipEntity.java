package dev.parley.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import dev.parley.room.Role;
import java.time.LocalDateTime;

/** A user's durable membership of a room, with the role, the highest acked seq and the read marker. */
@Entity
@Table(name = "membership",
        uniqueConstraints = @UniqueConstraint(name = "membership_room_user", columnNames = {"room_id", "username"}),
        indexes = @Index(name = "membership_user", columnList = "username"))
@NamedQuery(name = MembershipEntity.FIND,
        query = "select m from MembershipEntity m where m.room.name = :room and m.username = :user")
@NamedQuery(name = MembershipEntity.OF_USER,
        query = "select m from MembershipEntity m join fetch m.room where m.username = :user order by m.room.name")
@NamedQuery(name = MembershipEntity.ROOM_NAMES_OF_USERS,
        query = "select m.username, m.room.name from MembershipEntity m where m.username in :users")
@NamedQuery(name = MembershipEntity.OF_ROOM,
        query = "select m from MembershipEntity m where m.room.name = :room order by m.username")
@NamedQuery(name = MembershipEntity.COUNT_BY_ROOM,
        query = "select m.room.name, count(m) from MembershipEntity m group by m.room.name")
@NamedQuery(name = MembershipEntity.COUNT_OF_ROOMS,
        query = "select m.room.name, count(m) from MembershipEntity m where m.room.name in :rooms"
                + " group by m.room.name")
@NamedQuery(name = MembershipEntity.COUNT_OF_ROOM,
        query = "select count(m) from MembershipEntity m where m.room = :room")
@NamedQuery(name = MembershipEntity.COUNT_OF_USER,
        query = "select count(m) from MembershipEntity m where m.username = :user")
public class MembershipEntity {

    static final String FIND = "Membership.find";
    static final String OF_USER = "Membership.ofUser";
    static final String OF_ROOM = "Membership.ofRoom";
    static final String ROOM_NAMES_OF_USERS = "Membership.roomNamesOfUsers";
    static final String COUNT_BY_ROOM = "Membership.countByRoom";
    static final String COUNT_OF_ROOM = "Membership.countOfRoom";
    static final String COUNT_OF_ROOMS = "Membership.countOfRooms";
    static final String COUNT_OF_USER = "Membership.countOfUser";

    @Id
    @Column(length = Ids.LENGTH)
    private String id = Ids.next(System.currentTimeMillis());

    @ManyToOne(optional = false)
    @JoinColumn(name = "room_id", nullable = false)
    private RoomEntity room;

    @Column(nullable = false, length = 64)
    private String username;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Role role;

    @Column(name = "acked_seq", nullable = false)
    private long ackedSeq;

    /** The read marker: how far the user read, at most the acked seq (see {@code RoomStore.Ack}). */
    @Column(name = "read_seq", nullable = false)
    private long readSeq;

    /** UTC. */
    @Column(name = "joined_at", nullable = false)
    private LocalDateTime joinedAt;

    protected MembershipEntity() {
    }

    /**
     * A new member, read up to the room's seq: what came before is history, as for its connections' resends, not
     * unread (a big room joined or invited to would count years of it, and a device without a position would
     * have them all replayed).
     */
    static MembershipEntity from(RoomEntity room, String username, Role role, LocalDateTime joinedAt) {
        return new MembershipEntity(room, username, role, room.lastSeq(), joinedAt);
    }

    private MembershipEntity(RoomEntity room, String username, Role role, long ackedSeq, LocalDateTime joinedAt) {
        this.room = room;
        this.username = username;
        this.role = role;
        this.ackedSeq = ackedSeq;
        this.readSeq = ackedSeq;
        this.joinedAt = joinedAt;
    }

    RoomEntity room() {
        return room;
    }

    String username() {
        return username;
    }

    Role role() {
        return role;
    }

    void setRole(Role role) {
        this.role = role;
    }

    long ackedSeq() {
        return ackedSeq;
    }

    long readSeq() {
        return readSeq;
    }
}
