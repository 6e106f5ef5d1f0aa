package dev.parley.room;

import dev.parley.cluster.RoomEvent;
import dev.parley.protocol.Frames;
import dev.parley.protocol.ServerFrame;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Takes from this node's connections the rooms their users are no longer members of, and gives them the rooms
 * their users became members of, every {@value #EVERY_MILLIS} ms on the store turn. A join, leave, kick or ban
 * made on another node reaches this one as a bus event; were that event lost (its node died between the commit
 * and the publish, the grid split), the user would go on reading the room, and posting to it, or never see the
 * room on this device, until they connected again.
 */
public final class MembershipCheck {

    private static final Logger LOG = Logger.getLogger(MembershipCheck.class.getName());

    static final long EVERY_MILLIS = 30_000;

    private final RoomStore rooms;
    private final ModerationStore moderation;
    private final LiveRooms live;
    private final Clock clock;
    private long checkedAt;
    /** By user, the rooms of theirs that a connection here did not receive at the last check. */
    private Map<String, Set<String>> missedBefore = Map.of();

    public MembershipCheck(RoomStore rooms, ModerationStore moderation, LiveRooms live, Clock clock) {
        this.rooms = rooms;
        this.moderation = moderation;
        this.live = live;
        this.clock = clock;
        this.checkedAt = clock.millis();
    }

    /** Called on every turn; checks when its time has come. Runs on one thread (the store turn). */
    public void sweep() {
        long now = clock.millis();
        if (now - checkedAt < EVERY_MILLIS) {
            return;
        }
        checkedAt = now;
        // What the connections receive is read before the store: a room given to one after this read (a join
        // under way) is not judged by memberships read before its commit.
        Map<String, Set<String>> received = new HashMap<>();
        Map<Connection, Set<String>> welcomed = new HashMap<>();
        for (Connection connection : live.connections()) {
            if (connection.isAuthenticated()) {
                Set<String> theirs = Set.copyOf(connection.roomNames());
                received.computeIfAbsent(connection.user(), user -> new HashSet<>()).addAll(theirs);
                if (connection.isWelcomed()) {
                    welcomed.put(connection, theirs);
                }
            }
        }
        if (received.isEmpty()) {
            missedBefore = Map.of();
            return;
        }
        Map<String, Set<String>> members = rooms.roomNamesOf(received.keySet());
        received.forEach((user, theirs) -> {
            Set<String> stillMember = members.getOrDefault(user, Set.of());
            if (!stillMember.containsAll(theirs)) {
                takeLostRooms(user, theirs.stream().filter(room -> !stillMember.contains(room)).toList());
            }
        });
        giveMissedRooms(welcomed, members);
    }

    /**
     * A room a welcomed connection does not receive at two checks in a row: a join here, between its commit and
     * its connections' admission, lasts far less than the time between two checks.
     */
    private void giveMissedRooms(Map<Connection, Set<String>> welcomed, Map<String, Set<String>> members) {
        Map<String, Set<String>> missed = new HashMap<>();
        welcomed.forEach((connection, theirs) -> members.getOrDefault(connection.user(), Set.of()).stream()
                .filter(room -> !theirs.contains(room))
                .forEach(room -> missed.computeIfAbsent(connection.user(), user -> new HashSet<>()).add(room)));
        Map<String, Set<String>> before = missedBefore;
        missedBefore = missed;
        missed.forEach((user, theirs) -> {
            Set<String> again = new HashSet<>(theirs);
            again.retainAll(before.getOrDefault(user, Set.of()));
            if (!again.isEmpty()) {
                giveRooms(user, again);
            }
        });
    }

    /** Told as a join on another node is: a {@code joined} notice to the connections without it, then its messages. */
    private void giveRooms(String user, Set<String> candidates) {
        for (RoomStore.MemberRoom room : rooms.roomsOf(user)) {
            if (!candidates.contains(room.room())) {
                continue;
            }
            Optional<Role> role = moderation.roleOf(room.room(), user);
            List<Connection> without = live.connectionsOf(user).stream()
                    .filter(connection -> connection.isWelcomed() && !connection.receives(room.room())).toList();
            if (role.isEmpty() || without.isEmpty()) {
                continue; // left meanwhile, or given meanwhile
            }
            LOG.warning(() -> user + " is a member of " + room.room() + " but did not receive it here: the news of"
                    + " the join did not reach this node");
            // Whether the room is archived is not among a member's rooms: said when the room is joined.
            String joined = Frames.encode(new ServerFrame.Joined(null, room.room(), room.seq(), room.epoch(),
                    role.get().wire(), live.online(room.room()), room.with(), room.topic(), null));
            without.forEach(connection -> connection.sendNotice(joined));
            live.memberJoined(room.room(), user, room.seq());
        }
    }

    /**
     * Read once more for the user alone: a leave and a join again since the first read keep the room. A room
     * given to a connection of the user while that read was made (a join, an invitation) could be one of them:
     * the user is left for the next check then.
     */
    private void takeLostRooms(String user, List<String> candidates) {
        int given = roomsGiven(user);
        Set<String> now = rooms.roomsOf(user).stream().map(RoomStore.MemberRoom::room).collect(Collectors.toSet());
        if (roomsGiven(user) != given) {
            return;
        }
        for (String room : candidates) {
            // Still received: the news came meanwhile otherwise, and its left with it.
            if (!now.contains(room) && live.connectionsOf(user).stream().anyMatch(c -> c.receives(room))) {
                LOG.warning(() -> user + " is no longer a member of " + room + " but still received it here: the"
                        + " news of the change did not reach this node");
                live.deliver(new RoomEvent.Membership(room, user, false, 0,
                        Frames.encode(new ServerFrame.Left(null, room, null))));
            }
        }
    }

    private int roomsGiven(String user) {
        return live.connectionsOf(user).stream().mapToInt(Connection::roomsGiven).sum();
    }
}
