package dev.parley.store;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.room.Access;
import dev.parley.room.Role;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.TypedQuery;
import jakarta.persistence.UniqueConstraint;
import java.time.LocalDateTime;
import java.util.Optional;

/** A room: its name, the seq of its latest message, and the epoch that a recreated room changes. */
@Entity
@Table(name = "room", uniqueConstraints = @UniqueConstraint(name = "room_name", columnNames = "name"))
@NamedQuery(name = RoomEntity.BY_NAME, query = "select r from RoomEntity r where r.name = :name")
@NamedQuery(name = RoomEntity.ALL, query = "select r from RoomEntity r order by r.name")
@NamedQuery(name = RoomEntity.LAST_SEQS, query = "select r.name, r.lastSeq from RoomEntity r where r.name in :names")
// The access is stored as the enum's name; null in rooms made before access rules, which are public.
@NamedQuery(name = RoomEntity.LISTED, query = "select r from RoomEntity r where r.peer is null"
        + " and r.archivedAt is null and (r.access is null or r.access <> 'INVITE')"
        + " and lower(r.name) like :prefix escape '\\' and r.name > :after order by r.name")
public class RoomEntity {

    static final String BY_NAME = "Room.byName";
    static final String ALL = "Room.all";
    static final String LAST_SEQS = "Room.lastSeqs";
    static final String LISTED = "Room.listed";

    /** The room of that name, if there is one; not locked. */
    static Optional<RoomEntity> named(EntityManager em, String name) {
        return byName(em, name).getResultStream().findFirst();
    }

    /** The room of that name, its row locked until the transaction ends: its seq is handed out under this lock. */
    static Optional<RoomEntity> locked(EntityManager em, String name) {
        return byName(em, name).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultStream().findFirst();
    }

    private static TypedQuery<RoomEntity> byName(EntityManager em, String name) {
        return em.createNamedQuery(BY_NAME, RoomEntity.class).setParameter("name", name);
    }

    @Id
    @Column(length = Ids.LENGTH)
    private String id = Ids.next(System.currentTimeMillis());

    @Column(nullable = false, length = 64)
    private String name;

    @Column(nullable = false, length = 32)
    private String epoch;

    @Column(name = "last_seq", nullable = false)
    private long lastSeq;

    @Column(nullable = false, length = 64)
    private String owner;

    /** Null in rooms made before rooms had access rules: those are public. */
    @Column(name = "access_mode", length = 16)
    private String access;

    @Column(name = "password_hash", length = 200)
    private String passwordHash;

    /** UTC. */
    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    /** The other person of a direct conversation (its owner is the first); null in every other room. */
    @Column(length = 64)
    private String peer;

    /** When an operator closed the room; null while it is open. An archived room is read-only. */
    @Column(name = "archived_at")
    private LocalDateTime archivedAt;

    /** What the room is about, set by its owner or moderators; null when none. */
    @Column(length = 600)
    private String topic;

    protected RoomEntity() {
    }

    RoomEntity(String name, String epoch, String owner, LocalDateTime createdAt) {
        this.name = name;
        this.epoch = epoch;
        this.owner = owner;
        this.createdAt = createdAt;
    }

    String id() {
        return id;
    }

    String name() {
        return name;
    }

    String epoch() {
        return epoch;
    }

    String owner() {
        return owner;
    }

    /**
     * Read under the room's lock, so that a hand-over between a check of the asker's role and the change cannot give
     * the room away unseen.
     */
    void requireOwnedBy(String user) {
        if (!user.equals(owner)) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only the owner of " + name + " can");
        }
    }

    /** Gives the room to another owner: the one a join or invite takes back as its owner is now this one. */
    void handTo(String user) {
        owner = user;
    }

    /**
     * The role the user becomes a member with: the room takes its owner back as its owner (who left, or was
     * removed by an administrator); anybody else, and both of a direct conversation, as a member.
     */
    Role roleOfNewMember(String user) {
        return !isDirect() && user.equals(owner) ? Role.OWNER : Role.MEMBER;
    }

    long lastSeq() {
        return lastSeq;
    }

    /** Hands out the next seq; the caller holds the row lock until its transaction ends. */
    long nextSeq() {
        return ++lastSeq;
    }

    Access access() {
        return access == null ? Access.PUBLIC : Access.valueOf(access);
    }

    String passwordHash() {
        return passwordHash;
    }

    /** A direct conversation of {@code owner} and {@code peer}. */
    static RoomEntity direct(String name, String epoch, String owner, String peer, LocalDateTime createdAt) {
        RoomEntity room = new RoomEntity(name, epoch, owner, createdAt);
        room.peer = peer;
        room.access = Access.INVITE.name();
        return room;
    }

    boolean isDirect() {
        return peer != null;
    }

    /** In a direct conversation, the other one of the two; null elsewhere. */
    String otherThan(String user) {
        return peer == null ? null : user.equals(owner) ? peer : owner;
    }

    boolean isArchived() {
        return archivedAt != null;
    }

    void setArchived(LocalDateTime at) {
        archivedAt = at;
    }

    void setAccess(Access access, String passwordHash) {
        this.access = access.name();
        this.passwordHash = access == Access.PASSWORD ? passwordHash : null;
    }

    /** Null when the room has none. */
    String topic() {
        return topic;
    }

    /** {@code ""} clears it. */
    void setTopic(String topic) {
        this.topic = topic.isEmpty() ? null : topic;
    }
}
