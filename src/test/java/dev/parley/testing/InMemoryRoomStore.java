package dev.parley.testing;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.room.Access;
import dev.parley.room.ModerationStore;
import dev.parley.room.Role;
import dev.parley.room.RoomStore;
import dev.parley.room.RoomsPerUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Rooms, memberships and bans in memory, with the same rules as the JPA store; shared with the message store. */
public final class InMemoryRoomStore implements RoomStore, ModerationStore {

    final Map<String, Room> rooms = new ConcurrentHashMap<>();

    static final class Room {
        final String name;
        final String epoch;
        long seq;
        final Map<String, Member> members = new TreeMap<>();
        /** Banned users, and who banned each. */
        final Map<String, String> banned = new HashMap<>();
        Access access = Access.PUBLIC;
        String passwordHash;
        boolean archived;
        /** Who made the room; in a direct conversation the first of the two, the other being the peer. */
        String owner;
        String peer;
        /** Null when none. */
        String topic;

        Room(String name, String epoch) {
            this.name = name;
            this.epoch = epoch;
        }
    }

    record Member(Role role, long acked, long read) {

        Member(Role role, long seq) {
            this(role, seq, seq);
        }
    }

    /** The cap on a user's rooms; none unless a test sets one. */
    public volatile RoomsPerUser roomsPerUser = new RoomsPerUser(Integer.MAX_VALUE);

    /** Runs once right after the next {@link #join}: what another thread or node did at that moment. */
    public volatile Runnable afterNextJoin;

    @Override
    public JoinResult join(String room, String user, Gate gate) {
        JoinResult result = joined(room, user, gate);
        Runnable meanwhile = afterNextJoin;
        afterNextJoin = null;
        if (meanwhile != null) {
            meanwhile.run();
        }
        return result;
    }

    private synchronized JoinResult joined(String room, String user, Gate gate) {
        Room r = rooms.get(room);
        if (r == null) {
            requireRoomFor(user, user);
            Refusal created = gate.create();
            if (created != null) {
                return JoinResult.refused(created);
            }
            r = new Room(room, "epoch-" + room);
            r.owner = user;
            rooms.put(room, r);
            r.members.put(user, new Member(Role.OWNER, r.seq));
            return new JoinResult(view(r), Role.OWNER, true, null);
        }
        Member existing = r.members.get(user);
        if (existing != null) {
            return new JoinResult(view(r), existing.role(), false, null);
        }
        if (r.archived) {
            return JoinResult.refused(Refusal.ARCHIVED);
        }
        Refusal refusal = gate.check(r.access, r.passwordHash, r.banned.containsKey(user));
        if (refusal != null) {
            return JoinResult.refused(refusal);
        }
        requireRoomFor(user, user);
        Role role = roleOfNewMember(r, user);
        r.members.put(user, new Member(role, r.seq));
        return new JoinResult(view(r), role, true, null);
    }

    private static Role roleOfNewMember(Room r, String user) {
        return r.peer == null && user.equals(r.owner) ? Role.OWNER : Role.MEMBER;
    }

    @Override
    public synchronized boolean isOwner(String room, String user) {
        Room r = rooms.get(room);
        return r != null && roleOfNewMember(r, user) == Role.OWNER;
    }

    private synchronized void requireRoomFor(String user, String asker) {
        if (rooms.values().stream().filter(r -> r.members.containsKey(user)).count() >= roomsPerUser.max()) {
            throw roomsPerUser.refusal(user, asker);
        }
    }

    @Override
    public synchronized List<RoomSummary> all() {
        return rooms.values().stream().sorted((a, b) -> a.name.compareTo(b.name))
                .map(r -> new RoomSummary(r.name, r.seq, r.owner, r.access, r.members.size(), r.archived, r.topic))
                .toList();
    }

    @Override
    public synchronized List<Listing> directory(String prefix, String after, int limit) {
        return rooms.values().stream()
                .filter(r -> r.peer == null && !r.archived && r.access != Access.INVITE)
                .filter(r -> r.name.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT)))
                .filter(r -> after == null || r.name.compareTo(after) > 0)
                .sorted((a, b) -> a.name.compareTo(b.name)).limit(limit)
                .map(r -> new Listing(r.name, r.access, r.members.size(), r.topic)).toList();
    }

    @Override
    public synchronized Optional<RoomSummary> summary(String room) {
        return all().stream().filter(r -> r.name().equals(room)).findFirst();
    }

    @Override
    public synchronized List<RoomStore.Member> members(String room) {
        Room r = rooms.get(room);
        return r == null ? List.of() : r.members.entrySet().stream()
                .map(e -> new RoomStore.Member(e.getKey(), e.getValue().role())).toList();
    }

    /** Archives the room, or opens it again, without a line (the server does both through MessageStore). */
    public synchronized boolean setArchived(String room, boolean archived) {
        Room r = rooms.get(room);
        if (r != null) {
            r.archived = archived;
        }
        return r != null;
    }

    @Override
    public synchronized Optional<Role> roleOf(String room, String user) {
        Room r = rooms.get(room);
        return r == null ? Optional.empty() : Optional.ofNullable(r.members.get(user)).map(Member::role);
    }

    @Override
    public synchronized void setAccess(String room, Access access, String passwordHash) {
        Room r = rooms.get(room);
        r.access = access;
        r.passwordHash = passwordHash;
    }

    @Override
    public synchronized Invited invite(String room, String user) {
        Room r = rooms.get(room);
        if (r.archived) {
            return Invited.not(InviteOutcome.ARCHIVED);
        }
        if (r.banned.containsKey(user)) {
            return Invited.not(InviteOutcome.BANNED);
        }
        if (r.members.containsKey(user)) {
            return Invited.not(InviteOutcome.ALREADY_MEMBER);
        }
        requireRoomFor(user, null);
        Role role = roleOfNewMember(r, user);
        r.members.put(user, new Member(role, r.seq));
        return new Invited(InviteOutcome.ADDED, view(r), role);
    }

    @Override
    public synchronized boolean setRole(String room, String by, String user, Role role) {
        Room r = rooms.get(room);
        if (r != null && !by.equals(r.owner)) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only the owner of " + room + " can");
        }
        return r != null && setRole(r, user, role);
    }

    private static boolean setRole(Room r, String user, Role role) {
        Member m = r.members.get(user);
        if (m != null) {
            r.members.put(user, new Member(role, m.acked(), m.read()));
        }
        return m != null;
    }

    @Override
    public synchronized HandedOver handOver(String room, String from, String to) {
        Room r = rooms.get(room);
        if (r == null) {
            throw new ChatException(ErrorCode.NOT_FOUND, "no room " + room);
        }
        String owner = r.owner;
        if (r.peer != null) {
            throw new ChatException(ErrorCode.CONFLICT, room + " is a direct conversation, which nobody owns");
        }
        if (from != null && !from.equals(owner)) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only the owner of " + room + " can");
        }
        if (to.equals(owner)) {
            throw new ChatException(ErrorCode.CONFLICT, to + " owns " + room + " already");
        }
        if (!r.members.containsKey(to)) {
            throw new ChatException(ErrorCode.NOT_FOUND, to + " is not a member of " + room);
        }
        r.owner = to;
        setRole(r, to, Role.OWNER);
        return new HandedOver(owner, setRole(r, owner, Role.MODERATOR));
    }

    @Override
    public synchronized void ban(String room, String user, String by) {
        Room r = rooms.get(room);
        r.members.remove(user);
        r.banned.putIfAbsent(user, by);
    }

    @Override
    public synchronized boolean unban(String room, String user) {
        return rooms.get(room).banned.remove(user) != null;
    }

    @Override
    public synchronized Optional<String> bannedBy(String room, String user) {
        Room r = rooms.get(room);
        return r == null ? Optional.empty() : Optional.ofNullable(r.banned.get(user));
    }

    /** Every invitation link: its code, and its room, maker and end. */
    private final Map<String, Link> links = new HashMap<>();

    private record Link(String room, String by, Instant expires) {
    }

    @Override
    public synchronized void addLink(String room, String code, String by, Instant now, Instant expires) {
        Room r = rooms.get(room);
        if (r == null) {
            throw new ChatException(ErrorCode.NOT_FOUND, "no room " + room);
        }
        if (r.archived) {
            throw new ChatException(ErrorCode.FORBIDDEN, room + " is archived");
        }
        links.values().removeIf(link -> link.room.equals(room) && !link.expires.isAfter(now));
        if (links.values().stream().filter(link -> link.room.equals(room)).count() >= MAX_LINKS) {
            throw new ChatException(ErrorCode.CONFLICT, room + " has " + MAX_LINKS + " invitation links in force,"
                    + " as many as a room may: remove them with unlink, or wait for some to expire");
        }
        links.put(code, new Link(room, by, expires));
    }

    @Override
    public synchronized Optional<String> roomOfLink(String code, Instant now) {
        return Optional.ofNullable(links.get(code)).filter(link -> link.expires.isAfter(now)).map(Link::room);
    }

    @Override
    public synchronized int removeLinks(String room, Instant now) {
        links.values().removeIf(link -> link.room.equals(room) && !link.expires.isAfter(now));
        int before = links.size();
        links.values().removeIf(link -> link.room.equals(room));
        return before - links.size();
    }

    @Override
    public synchronized List<RoomLink> linksOf(String room, Instant now) {
        return links.entrySet().stream()
                .filter(e -> e.getValue().room.equals(room) && e.getValue().expires.isAfter(now))
                .map(e -> new RoomLink(e.getKey(), e.getValue().by, e.getValue().expires))
                .sorted(Comparator.comparing(RoomLink::expires).reversed()).toList();
    }

    @Override
    public synchronized boolean removeLink(String room, String code, Instant now) {
        Link link = links.get(code);
        if (link == null || !link.room.equals(room)) {
            return false;
        }
        links.remove(code);
        return link.expires.isAfter(now);
    }

    @Override
    public synchronized Direct direct(String room, String user, String peer) {
        Room r = rooms.get(room);
        if (r != null && (r.peer == null || !(user.equals(r.owner) ? r.peer : r.owner).equals(peer))) {
            throw new ChatException(ErrorCode.CONFLICT, room + " is not your conversation with " + peer);
        }
        for (String member : List.of(user, peer)) {
            if (r == null || !r.members.containsKey(member)) {
                requireRoomFor(member, user);
            }
        }
        if (r == null) {
            r = new Room(room, "epoch-" + room);
            r.owner = user;
            r.peer = peer;
            r.access = Access.INVITE;
            rooms.put(room, r);
        }
        boolean userAdded = r.members.putIfAbsent(user, new Member(Role.MEMBER, r.seq)) == null;
        boolean peerAdded = r.members.putIfAbsent(peer, new Member(Role.MEMBER, r.seq)) == null;
        return new Direct(view(r), userAdded, peerAdded);
    }

    /** Runs once right after the next {@link #passwordHash}: a change made while the password is checked. */
    public volatile Runnable afterNextPasswordRead;

    @Override
    public Optional<String> passwordHash(String room) {
        Optional<String> hash;
        synchronized (this) {
            Room r = rooms.get(room);
            hash = r == null || r.access != Access.PASSWORD ? Optional.empty() : Optional.ofNullable(r.passwordHash);
        }
        Runnable meanwhile = afterNextPasswordRead;
        afterNextPasswordRead = null;
        if (meanwhile != null) {
            meanwhile.run();
        }
        return hash;
    }

    @Override
    public synchronized boolean isDirect(String room) {
        Room r = rooms.get(room);
        return r != null && r.peer != null;
    }

    @Override
    public boolean kick(String room, String user) {
        return leave(room, user);
    }

    private final Map<String, Mute> mutes = new ConcurrentHashMap<>();

    @Override
    public void mute(Mute mute) {
        mutes.put(mute.room() + "\u0000" + mute.user(), mute);
    }

    @Override
    public Optional<Mute> unmute(String room, String user) {
        return Optional.ofNullable(mutes.remove(room + "\u0000" + user));
    }

    @Override
    public List<Mute> mutesInForce(Instant at) {
        return mutes.values().stream().filter(mute -> mute.inForce(at)).toList();
    }

    @Override
    public synchronized boolean leave(String room, String user) {
        Room r = rooms.get(room);
        return r != null && r.members.remove(user) != null;
    }

    /** Runs once right after the next {@link #roomsOf} read: what another thread or node did at that moment. */
    public volatile Runnable afterNextRoomsRead;

    @Override
    public List<MemberRoom> roomsOf(String user) {
        List<MemberRoom> mine = read(user);
        Runnable meanwhile = afterNextRoomsRead;
        afterNextRoomsRead = null;
        if (meanwhile != null) {
            meanwhile.run();
        }
        return mine;
    }

    @Override
    public synchronized Map<String, Set<String>> roomNamesOf(Collection<String> users) {
        Map<String, Set<String>> names = new HashMap<>();
        for (String user : users) {
            read(user).forEach(r -> names.computeIfAbsent(user, u -> new HashSet<>()).add(r.room()));
        }
        return names;
    }

    private synchronized List<MemberRoom> read(String user) {
        List<MemberRoom> mine = new ArrayList<>();
        rooms.values().stream().sorted((a, b) -> a.name.compareTo(b.name)).forEach(r -> {
            Member m = r.members.get(user);
            if (m != null) {
                mine.add(new MemberRoom(r.name, r.seq, r.epoch, m.acked(), m.read(),
                        r.peer == null ? null : user.equals(r.owner) ? r.peer : r.owner, r.topic, r.archived));
            }
        });
        return mine;
    }

    @Override
    public synchronized void ack(List<Ack> acks) {
        for (Ack ack : acks) {
            Room r = rooms.get(ack.room());
            Member m = r == null ? null : r.members.get(ack.user());
            if (m != null) {
                long seq = Math.min(ack.seq(), r.seq);
                r.members.put(ack.user(), new Member(m.role(), Math.max(m.acked(), seq),
                        Math.max(m.read(), Math.min(ack.read(), seq))));
            }
        }
    }

    private static RoomView view(Room room) {
        return new RoomView(room.name, room.seq, room.epoch, room.topic, room.archived);
    }
}
