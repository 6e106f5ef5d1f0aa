package dev.parley.store;

import dev.parley.config.Settings;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.room.Access;
import dev.parley.room.ModerationStore;
import dev.parley.room.Role;
import dev.parley.room.RoomStore;
import dev.parley.room.RoomsPerUser;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Rooms, memberships and bans in the database. A room or membership changed through its entity is read locked:
 * the commit loops move the room's {@code last_seq} and the ack writer the read marker over JDBC, and Hibernate
 * (WildFly) writes every column of a changed row, so a row read unlocked would write them back as they were.
 */
@ApplicationScoped
public class JpaRoomStore implements RoomStore, ModerationStore {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int USERS_PER_QUERY = 500;

    @PersistenceContext
    EntityManager em;

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    Transactions transactions;

    @Inject
    Settings settings;

    private RoomsPerUser roomsPerUser;

    @PostConstruct
    void readCap() {
        roomsPerUser = new RoomsPerUser(settings.roomsPerUser());
    }

    @Override
    public JoinResult join(String room, String user, Gate gate) {
        return transactions.retryingOnce(() -> {
            Optional<MembershipEntity> existing = membership(room, user);
            if (existing.isPresent()) {
                // Nothing to decide, and nothing locked: a page joins its open room on every reconnect, and the
                // room's row is what each commit of its messages locks.
                return new JoinResult(view(existing.get().room()), existing.get().role(), false, null);
            }
            // A new member: the room's row locked, as a ban and an invite lock it. Read unlocked, a join and a ban
            // could each see no row of the other's and both commit, leaving a banned member whom every later join
            // let in.
            RoomEntity entity = RoomEntity.locked(em, room).orElse(null);
            if (entity == null) {
                requireRoomFor(user, user);
                Refusal refused = gate.create();
                if (refused != null) {
                    return JoinResult.refused(refused);
                }
                entity = new RoomEntity(room, newEpoch(), user, now());
                em.persist(entity);
                return memberOf(entity, user, Role.OWNER);
            }
            if (entity.isArchived()) {
                return JoinResult.refused(Refusal.ARCHIVED);
            }
            Refusal refusal = gate.check(entity.access(), entity.passwordHash(), ban(room, user).isPresent());
            if (refusal != null) {
                return JoinResult.refused(refusal);
            }
            requireRoomFor(user, user);
            return memberOf(entity, user, entity.roleOfNewMember(user));
        });
    }

    /**
     * Refuses to make the user a member of one more room past the cap. Joins of one user that run at the same
     * time may each see room for one more: the cap can be passed by those in flight, a few at most.
     */
    private void requireRoomFor(String user, String asker) {
        long rooms = em.createNamedQuery(MembershipEntity.COUNT_OF_USER, Long.class)
                .setParameter("user", user).getSingleResult();
        if (rooms >= roomsPerUser.max()) {
            throw roomsPerUser.refusal(user, asker);
        }
    }

    private JoinResult memberOf(RoomEntity room, String user, Role role) {
        em.persist(MembershipEntity.from(room, user, role, now()));
        return new JoinResult(view(room), role, true, null);
    }

    @Override
    public Direct direct(String room, String user, String peer) {
        return transactions.retryingOnce(() -> {
            RoomEntity entity = find(room).orElse(null);
            if (entity == null) {
                entity = RoomEntity.direct(room, newEpoch(), user, peer, now());
                em.persist(entity);
            } else if (!entity.isDirect() || !peer.equals(entity.otherThan(user))) {
                throw new ChatException(ErrorCode.CONFLICT, room + " is not your conversation with " + peer);
            }
            boolean userAdded = addMember(entity, user, user);
            boolean peerAdded = addMember(entity, peer, user);
            return new Direct(view(entity), userAdded, peerAdded);
        });
    }

    private boolean addMember(RoomEntity room, String user, String asker) {
        if (membership(room.name(), user).isPresent()) {
            return false;
        }
        requireRoomFor(user, asker);
        em.persist(MembershipEntity.from(room, user, Role.MEMBER, now()));
        return true;
    }

    @Override
    @Transactional
    public Optional<String> passwordHash(String room) {
        return find(room).filter(entity -> entity.access() == Access.PASSWORD).map(RoomEntity::passwordHash);
    }

    @Override
    @Transactional
    public boolean isDirect(String room) {
        return find(room).map(RoomEntity::isDirect).orElse(false);
    }

    @Override
    @Transactional
    public boolean leave(String room, String user) {
        Optional<MembershipEntity> membership = membership(room, user);
        membership.ifPresent(em::remove);
        return membership.isPresent();
    }

    @Override
    @Transactional
    public List<MemberRoom> roomsOf(String user) {
        return em.createNamedQuery(MembershipEntity.OF_USER, MembershipEntity.class)
                .setParameter("user", user)
                .getResultStream()
                .map(m -> new MemberRoom(m.room().name(), m.room().lastSeq(), m.room().epoch(), m.ackedSeq(),
                        m.readSeq(), m.room().otherThan(user), m.room().topic(), m.room().isArchived()))
                .toList();
    }

    /** A query per {@value #USERS_PER_QUERY} users: a statement's parameters are bounded (PostgreSQL: 32,767). */
    @Override
    @Transactional
    public Map<String, Set<String>> roomNamesOf(Collection<String> users) {
        List<String> names = List.copyOf(users);
        Map<String, Set<String>> rooms = new HashMap<>();
        for (int from = 0; from < names.size(); from += USERS_PER_QUERY) {
            em.createNamedQuery(MembershipEntity.ROOM_NAMES_OF_USERS, Object[].class)
                    .setParameter("users", names.subList(from, Math.min(names.size(), from + USERS_PER_QUERY)))
                    .getResultStream()
                    .forEach(row -> rooms.computeIfAbsent((String) row[0], user -> new HashSet<>())
                            .add((String) row[1]));
        }
        return rooms;
    }

    @Override
    @Transactional
    public List<RoomSummary> all() {
        Map<String, Long> members = em.createNamedQuery(MembershipEntity.COUNT_BY_ROOM, Object[].class)
                .getResultStream()
                .collect(Collectors.toMap(row -> (String) row[0], row -> ((Number) row[1]).longValue()));
        return em.createNamedQuery(RoomEntity.ALL, RoomEntity.class).getResultStream()
                .map(r -> new RoomSummary(r.name(), r.lastSeq(), r.owner(), r.access(),
                        members.getOrDefault(r.name(), 0L), r.isArchived(), r.topic()))
                .toList();
    }

    @Override
    @Transactional
    public List<Listing> directory(String prefix, String after, int limit) {
        // A room name's only character that LIKE reads is '_'.
        String pattern = prefix.toLowerCase(Locale.ROOT).replace("_", "\\_") + "%";
        List<RoomEntity> listed = em.createNamedQuery(RoomEntity.LISTED, RoomEntity.class)
                .setParameter("prefix", pattern)
                .setParameter("after", after == null ? "" : after)
                .setMaxResults(limit)
                .getResultList();
        if (listed.isEmpty()) {
            return List.of();
        }
        Map<String, Long> members = em.createNamedQuery(MembershipEntity.COUNT_OF_ROOMS, Object[].class)
                .setParameter("rooms", listed.stream().map(RoomEntity::name).toList())
                .getResultStream()
                .collect(Collectors.toMap(row -> (String) row[0], row -> ((Number) row[1]).longValue()));
        return listed.stream()
                .map(r -> new Listing(r.name(), r.access(), members.getOrDefault(r.name(), 0L), r.topic())).toList();
    }

    @Override
    @Transactional
    public Optional<RoomSummary> summary(String room) {
        return RoomEntity.named(em, room).map(r -> new RoomSummary(r.name(), r.lastSeq(), r.owner(), r.access(),
                em.createNamedQuery(MembershipEntity.COUNT_OF_ROOM, Long.class).setParameter("room", r)
                        .getSingleResult(), r.isArchived(), r.topic()));
    }

    @Override
    @Transactional
    public List<Member> members(String room) {
        return em.createNamedQuery(MembershipEntity.OF_ROOM, MembershipEntity.class)
                .setParameter("room", room)
                .getResultStream()
                .map(m -> new Member(m.username(), m.role()))
                .toList();
    }

    /**
     * One JDBC batch in a {@link LocalTransaction}, outside any JTA transaction: the sweep that flushes markers
     * must not fail with them. Thousands of markers a second as JPQL updates were a statement round each, and
     * on H2 a file write each; safe past JPA because nothing is cached between transactions (shared-cache-mode
     * NONE). The connection is the data source's (only EclipseLink unwraps the EntityManager's; Hibernate does
     * not).
     */
    @Override
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public void ack(List<Ack> acks) {
        try {
            LocalTransaction.run(dataSource, connection -> ack(connection, acks));
        } catch (SQLException e) {
            throw new PersistenceException("read markers not written", e);
        }
    }

    private static Void ack(Connection connection, List<Ack> acks) throws SQLException {
        Map<String, Optional<RoomRow>> rooms = new HashMap<>();
        try (PreparedStatement room = connection.prepareStatement(ROOM_SQL);
             PreparedStatement update = connection.prepareStatement(ACK_SQL)) {
            for (Ack ack : acks) {
                Optional<RoomRow> row = rooms.get(ack.room());
                if (row == null) {
                    row = RoomRow.read(room, ack.room());
                    rooms.put(ack.room(), row);
                }
                if (row.isPresent()) {
                    long seq = Math.min(ack.seq(), row.get().lastSeq());
                    long read = Math.min(ack.read(), seq);
                    update.setLong(1, seq);
                    update.setLong(2, read);
                    update.setString(3, row.get().id());
                    update.setString(4, ack.user());
                    update.setLong(5, seq);
                    update.setLong(6, read);
                    update.addBatch();
                }
            }
            update.executeBatch();
        }
        return null;
    }

    /** A room's row id and last seq, as the read markers need them. */
    private record RoomRow(String id, long lastSeq) {

        static Optional<RoomRow> read(PreparedStatement select, String name) throws SQLException {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new RoomRow(row.getString(1), row.getLong(2))) : Optional.empty();
            }
        }
    }

    private static final String ROOM_SQL = "SELECT id, last_seq FROM room WHERE name = ?";
    /** Each marker only moves up; a row with neither behind is not written. */
    private static final String ACK_SQL = "UPDATE membership SET acked_seq = GREATEST(acked_seq, ?),"
            + " read_seq = GREATEST(read_seq, ?)"
            + " WHERE room_id = ? AND username = ? AND (acked_seq < ? OR read_seq < ?)";

    @Override
    @Transactional
    public Optional<Role> roleOf(String room, String user) {
        return membership(room, user).map(MembershipEntity::role);
    }

    @Override
    @Transactional
    public boolean isOwner(String room, String user) {
        return find(room).filter(entity -> entity.roleOfNewMember(user) == Role.OWNER).isPresent();
    }

    @Override
    @Transactional
    public void setAccess(String room, Access access, String passwordHash) {
        RoomEntity.locked(em, room).ifPresent(entity -> entity.setAccess(access, passwordHash));
    }

    @Override
    public Invited invite(String room, String user) {
        return transactions.retryingOnce(() -> {
            RoomEntity entity = RoomEntity.locked(em, room).orElseThrow();
            if (entity.isArchived()) {
                return Invited.not(InviteOutcome.ARCHIVED);
            }
            if (ban(room, user).isPresent()) {
                return Invited.not(InviteOutcome.BANNED);
            }
            if (membership(room, user).isPresent()) {
                return Invited.not(InviteOutcome.ALREADY_MEMBER);
            }
            requireRoomFor(user, null);
            JoinResult added = memberOf(entity, user, entity.roleOfNewMember(user));
            return new Invited(InviteOutcome.ADDED, added.room(), added.role());
        });
    }

    @Override
    @Transactional
    public boolean setRole(String room, String by, String user, Role role) {
        // The room's row first, as a ban locks it before the membership: the membership's locking query joins
        // the room and locks both rows, in an order of the database's, and two such changes could deadlock.
        Optional<RoomEntity> entity = RoomEntity.locked(em, room);
        if (entity.isEmpty()) {
            return false;
        }
        entity.get().requireOwnedBy(by);
        Optional<MembershipEntity> membership = membership(room, user, LockModeType.PESSIMISTIC_WRITE);
        membership.ifPresent(m -> m.setRole(role));
        return membership.isPresent();
    }

    @Override
    @Transactional
    public HandedOver handOver(String room, String from, String to) {
        // The room's row first, as setRole takes it; the owner is read under its lock.
        RoomEntity entity = RoomEntity.locked(em, room).orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND,
                "no room " + room));
        String owner = entity.owner();
        if (entity.isDirect()) {
            throw new ChatException(ErrorCode.CONFLICT, room + " is a direct conversation, which nobody owns");
        }
        if (from != null) {
            entity.requireOwnedBy(from);
        }
        if (to.equals(owner)) {
            throw new ChatException(ErrorCode.CONFLICT, to + " owns " + room + " already");
        }
        MembershipEntity taker = membership(room, to, LockModeType.PESSIMISTIC_WRITE).orElseThrow(
                () -> new ChatException(ErrorCode.NOT_FOUND, to + " is not a member of " + room));
        Optional<MembershipEntity> giver = membership(room, owner, LockModeType.PESSIMISTIC_WRITE);
        entity.handTo(to);
        taker.setRole(Role.OWNER);
        giver.ifPresent(m -> m.setRole(Role.MODERATOR));
        return new HandedOver(owner, giver.isPresent());
    }

    @Override
    @Transactional // leave's own annotation does not apply to a call from inside the bean
    public boolean kick(String room, String user) {
        return leave(room, user);
    }

    @Override
    public void ban(String room, String user, String by) {
        transactions.retryingOnce(() -> {
            RoomEntity entity = RoomEntity.locked(em, room).orElseThrow();
            membership(room, user).ifPresent(em::remove);
            if (ban(room, user).isEmpty()) {
                em.persist(new BanEntity(entity, user, by, now()));
            }
            return null;
        });
    }

    @Override
    @Transactional
    public boolean unban(String room, String user) {
        Optional<BanEntity> ban = ban(room, user);
        ban.ifPresent(em::remove);
        return ban.isPresent();
    }

    @Override
    @Transactional
    public Optional<String> bannedBy(String room, String user) {
        return ban(room, user).map(BanEntity::bannedBy);
    }

    @Override
    public void addLink(String room, String code, String by, Instant now, Instant expires) {
        transactions.inNew(() -> {
            // Under the room row's lock: links made at once are counted one after the other.
            RoomEntity entity = RoomEntity.locked(em, room).orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND,
                    "no room " + room));
            if (entity.isArchived()) {
                throw new ChatException(ErrorCode.FORBIDDEN, room + " is archived");
            }
            removeExpiredLinks(entity, now);
            if (em.createNamedQuery(RoomLinkEntity.COUNT_IN, Long.class).setParameter("room", entity)
                    .getSingleResult() >= MAX_LINKS) {
                throw new ChatException(ErrorCode.CONFLICT, room + " has " + MAX_LINKS + " invitation links in force,"
                        + " as many as a room may: remove them with unlink, or wait for some to expire");
            }
            em.persist(new RoomLinkEntity(code, entity, by, utc(expires)));
            return null;
        });
    }

    @Override
    @Transactional
    public Optional<String> roomOfLink(String code, Instant now) {
        return em.createNamedQuery(RoomLinkEntity.IN_FORCE, String.class).setParameter("code", code)
                .setParameter("now", utc(now)).getResultStream().findFirst();
    }

    @Override
    @Transactional
    public int removeLinks(String room, Instant now) {
        return find(room).map(entity -> {
            removeExpiredLinks(entity, now);
            return em.createNamedQuery(RoomLinkEntity.REMOVE_ALL).setParameter("room", entity).executeUpdate();
        }).orElse(0);
    }

    /** Expired links stay until the room's links change: they admit nobody, and are not counted as in force. */
    private void removeExpiredLinks(RoomEntity room, Instant now) {
        em.createNamedQuery(RoomLinkEntity.REMOVE_EXPIRED).setParameter("room", room).setParameter("now", utc(now))
                .executeUpdate();
    }

    @Override
    @Transactional
    public List<RoomLink> linksOf(String room, Instant now) {
        return find(room).map(entity -> em.createNamedQuery(RoomLinkEntity.OF_ROOM, RoomLinkEntity.class)
                .setParameter("room", entity).setParameter("now", utc(now)).getResultStream()
                .map(RoomLinkEntity::toRoomLink).toList()).orElse(List.of());
    }

    @Override
    @Transactional
    public boolean removeLink(String room, String code, Instant now) {
        Optional<RoomEntity> entity = find(room);
        RoomLinkEntity link = em.find(RoomLinkEntity.class, code);
        if (entity.isEmpty() || link == null || !link.isOf(entity.get())) {
            return false;
        }
        em.remove(link);
        return link.inForceAt(utc(now));
    }

    private static LocalDateTime utc(Instant at) {
        return LocalDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    @Override
    public void mute(Mute mute) {
        transactions.retryingOnce(() -> {
            Optional<MuteEntity> existing = em.createNamedQuery(MuteEntity.FIND, MuteEntity.class)
                    .setParameter("room", mute.room())
                    .setParameter("user", mute.user())
                    .getResultStream()
                    .findFirst();
            MuteEntity entity = existing.orElseGet(() -> new MuteEntity(find(mute.room()).orElseThrow(), mute.user()));
            entity.set(mute);
            if (existing.isEmpty()) {
                // Filled before persist: Hibernate inserts the fields as they are at persist (NOT NULL columns).
                em.persist(entity);
            }
            return null;
        });
    }

    @Override
    @Transactional
    public Optional<Mute> unmute(String room, String user) {
        Optional<MuteEntity> mute = em.createNamedQuery(MuteEntity.FIND, MuteEntity.class)
                .setParameter("room", room)
                .setParameter("user", user)
                .getResultStream()
                .findFirst();
        mute.ifPresent(em::remove);
        return mute.map(MuteEntity::toMute);
    }

    @Override
    @Transactional
    public List<Mute> mutesInForce(Instant at) {
        return em.createNamedQuery(MuteEntity.IN_FORCE, MuteEntity.class)
                .setParameter("now", utc(at))
                .getResultStream().map(MuteEntity::toMute).toList();
    }

    private Optional<BanEntity> ban(String room, String user) {
        return em.createNamedQuery(BanEntity.FIND, BanEntity.class)
                .setParameter("room", room)
                .setParameter("user", user)
                .getResultStream()
                .findFirst();
    }

    private Optional<RoomEntity> find(String room) {
        return RoomEntity.named(em, room);
    }

    private Optional<MembershipEntity> membership(String room, String user) {
        return membership(room, user, LockModeType.NONE);
    }

    private Optional<MembershipEntity> membership(String room, String user, LockModeType lock) {
        return em.createNamedQuery(MembershipEntity.FIND, MembershipEntity.class)
                .setParameter("room", room)
                .setParameter("user", user)
                .setLockMode(lock)
                .getResultStream()
                .findFirst();
    }

    private static RoomView view(RoomEntity room) {
        return new RoomView(room.name(), room.lastSeq(), room.epoch(), room.topic(), room.isArchived());
    }

    private static String newEpoch() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static LocalDateTime now() {
        return LocalDateTime.now(ZoneOffset.UTC).withNano(0);
    }
}
