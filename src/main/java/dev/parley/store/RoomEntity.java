package dev.parley.store;

import dev.parley.room.Access;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A room: its name, the seq of its latest message, and the epoch that a recreated room changes. */
@Entity
@Table(name = "room", uniqueConstraints = @UniqueConstraint(name = "room_name", columnNames = "name"))
@NamedQuery(name = RoomEntity.BY_NAME, query = "select r from RoomEntity r where r.name = :name")
@NamedQuery(name = RoomEntity.LOCKING_FEW, lockMode = LockModeType.PESSIMISTIC_WRITE,
        query = "select r from RoomEntity r where r.name in ("
        + ":n0, :n1, :n2, :n3, :n4, :n5, :n6, :n7, :n8, :n9, :n10, :n11, :n12, :n13, :n14, :n15)"
        + " order by r.name")
@NamedQuery(name = RoomEntity.LOCKING_MANY, lockMode = LockModeType.PESSIMISTIC_WRITE,
        query = "select r from RoomEntity r where r.name in ("
        + ":n0, :n1, :n2, :n3, :n4, :n5, :n6, :n7, :n8, :n9, :n10, :n11, :n12, :n13, :n14, :n15,"
        + " :n16, :n17, :n18, :n19, :n20, :n21, :n22, :n23, :n24, :n25, :n26, :n27, :n28, :n29, :n30, :n31,"
        + " :n32, :n33, :n34, :n35, :n36, :n37, :n38, :n39, :n40, :n41, :n42, :n43, :n44, :n45, :n46, :n47,"
        + " :n48, :n49, :n50, :n51, :n52, :n53, :n54, :n55, :n56, :n57, :n58, :n59, :n60, :n61, :n62, :n63)"
        + " order by r.name")
@NamedQuery(name = RoomEntity.ALL, query = "select r from RoomEntity r order by r.name")
public class RoomEntity {

    static final String BY_NAME = "Room.byName";
    static final String LOCKING_FEW = "Room.lockingFew";
    static final String LOCKING_MANY = "Room.lockingMany";
    static final String ALL = "Room.all";
    /**
     * The names a {@link #LOCKING_FEW} and a {@link #LOCKING_MANY} query take: fixed counts, so that each is a
     * named query, parsed once. Two sizes: a batch of a few rooms (a chat's usual load) binds 16 names, not 64,
     * and one of many rooms (50 senders in 50 rooms) costs one round trip to the database, not four.
     */
    private static final int FEW = 16;
    private static final int MANY = 64;

    /** The room of that name, if there is one; not locked. */
    static Optional<RoomEntity> named(EntityManager em, String name) {
        return byName(em, name).getResultStream().findFirst();
    }

    /** The room of that name, its row locked until the transaction ends: its seq is handed out under this lock. */
    static Optional<RoomEntity> locked(EntityManager em, String name) {
        return byName(em, name).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultStream().findFirst();
    }

    /**
     * The rooms of those names that exist, by name, their rows locked until the transaction ends. They are
     * locked in name order, so that two nodes locking some of the same rooms do not deadlock, up to
     * {@value #MANY} in one query: a query with a list of any length ({@code in :names}) is translated to SQL
     * again on every call, which cost more than the one-name queries it replaced. (Within a query the order is
     * the database's collation, across queries Java's; where they differ, a deadlock is possible, which the
     * database detects: the batch fails and is stored again.)
     */
    static Map<String, RoomEntity> locked(EntityManager em, Collection<String> names) {
        List<String> sorted = names.stream().distinct().sorted().toList();
        Map<String, RoomEntity> rooms = new HashMap<>();
        for (int from = 0; from < sorted.size(); ) {
            int size = sorted.size() - from > FEW ? MANY : FEW;
            List<String> some = sorted.subList(from, Math.min(from + size, sorted.size()));
            TypedQuery<RoomEntity> query =
                    em.createNamedQuery(size == FEW ? LOCKING_FEW : LOCKING_MANY, RoomEntity.class);
            for (int i = 0; i < size; i++) {
                // The unused places repeat a name of this query: they find nothing more.
                query.setParameter("n" + i, some.get(Math.min(i, some.size() - 1)));
            }
            query.getResultStream().forEach(room -> rooms.put(room.name(), room));
            from += some.size();
        }
        return rooms;
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
}
