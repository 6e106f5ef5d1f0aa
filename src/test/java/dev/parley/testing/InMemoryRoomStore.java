package dev.parley.testing;

import dev.parley.room.Role;
import dev.parley.room.RoomStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Rooms and memberships in memory, with the same rules as the JPA store; shared with the message store. */
public final class InMemoryRoomStore implements RoomStore {

    final Map<String, Room> rooms = new ConcurrentHashMap<>();

    static final class Room {
        final String name;
        final String epoch;
        long seq;
        final Map<String, Member> members = new TreeMap<>();

        Room(String name, String epoch) {
            this.name = name;
            this.epoch = epoch;
        }
    }

    record Member(Role role, long acked) {
    }

    @Override
    public synchronized JoinResult join(String room, String user) {
        boolean created = !rooms.containsKey(room);
        Room r = rooms.computeIfAbsent(room, name -> new Room(name, "epoch-" + name));
        Member existing = r.members.get(user);
        if (existing != null) {
            return new JoinResult(view(r), existing.role(), false);
        }
        Role role = created ? Role.OWNER : Role.MEMBER;
        r.members.put(user, new Member(role, 0));
        return new JoinResult(view(r), role, true);
    }

    @Override
    public synchronized boolean leave(String room, String user) {
        Room r = rooms.get(room);
        return r != null && r.members.remove(user) != null;
    }

    @Override
    public synchronized List<MemberRoom> roomsOf(String user) {
        List<MemberRoom> mine = new ArrayList<>();
        rooms.values().stream().sorted((a, b) -> a.name.compareTo(b.name)).forEach(r -> {
            Member m = r.members.get(user);
            if (m != null) {
                mine.add(new MemberRoom(r.name, r.seq, r.epoch, m.acked()));
            }
        });
        return mine;
    }

    @Override
    public synchronized void ack(String room, String user, long seq) {
        Room r = rooms.get(room);
        Member m = r == null ? null : r.members.get(user);
        if (m != null && seq > m.acked()) {
            r.members.put(user, new Member(m.role(), Math.min(seq, r.seq)));
        }
    }

    private static RoomView view(Room room) {
        return new RoomView(room.name, room.seq, room.epoch);
    }
}
