package dev.parley.chat;

import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.RoomEvent;
import dev.parley.delivery.MessageStore;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Frames;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Access;
import dev.parley.room.Connection;
import dev.parley.room.LiveRooms;
import dev.parley.room.RoomNames;
import dev.parley.room.RoomStore;
import dev.parley.security.AddressCap;
import dev.parley.security.Blocks;
import dev.parley.security.PasswordChecks;
import dev.parley.security.UserNames;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Who is in a room: joining it (by its access rules), leaving it, the direct conversation of two, and the members
 * list. A membership is stored first; the room and the member's other connections hear of it after.
 */
final class RoomEntry {

    private static final Logger LOG = Logger.getLogger(RoomEntry.class.getName());

    private final RoomStore rooms;
    private final MessageStore messages;
    private final LiveRooms live;
    private final ClusterBus bus;
    private final PasswordChecks passwords;
    /**
     * Rooms a client address may create in a minute. A join of a name nobody has taken creates a room, which is
     * stored for good, and a user who leaves a room may create another: without a count one client could fill
     * the database with rooms as fast as its connections send joins, whatever the cap on a user's rooms.
     */
    private final AddressCap newRooms;
    private final Blocks blocks;

    RoomEntry(RoomStore rooms, MessageStore messages, LiveRooms live, ClusterBus bus, PasswordChecks passwords,
              AddressCap newRooms, Blocks blocks) {
        this.rooms = rooms;
        this.messages = messages;
        this.live = live;
        this.bus = bus;
        this.passwords = passwords;
        this.newRooms = newRooms;
        this.blocks = blocks;
    }

    /** @param byLink whether the join came with an invitation link's code in force for the room */
    void join(Connection connection, ClientFrame.Join join, boolean byLink) {
        String room = RoomNames.require(join.room());
        if (!RoomNames.isAddressable(room)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "the room names . and .. are reserved: a web address "
                    + "cannot name them");
        }
        if (DirectRooms.isDirect(room) && !connection.receives(room)) {
            // Its two open it with dm (and then, as the page does, join it like any room they have). Anybody else
            // gets one answer whether the two have one or not: a join neither tells a third who talks to whom nor
            // creates the room first (which would leave the two no conversation of their own).
            throw new ChatException(ErrorCode.FORBIDDEN, "a direct conversation is opened with dm, not joined");
        }
        String user = connection.user();
        String matched = byLink ? null : matchedPassword(connection, room, join.password());
        connection.takeLostARoom(); // from here on, a loss that the admission below could undo is seen
        RoomStore.JoinResult result = rooms.join(room, user, new RoomStore.Gate() {
            @Override
            public RoomStore.Refusal check(Access access, String passwordHash, boolean banned) {
                if (banned) {
                    return RoomStore.Refusal.BANNED;
                }
                if (byLink) {
                    return null; // an invitation link stands for the password and for an invitation, not for a ban
                }
                return switch (access) {
                    case PUBLIC -> null;
                    // Checked before the join's transaction, which would hold a database connection for the hash:
                    // the room's password must still be the one checked.
                    case PASSWORD -> passwordHash != null && passwordHash.equals(matched) ? null
                            : RoomStore.Refusal.WRONG_PASSWORD;
                    case INVITE -> RoomStore.Refusal.INVITE_ONLY;
                };
            }

            /** Counted in memory, no I/O in the transaction; a join retried after a conflict may count twice. */
            @Override
            public RoomStore.Refusal create() {
                return newRooms.tryCount(connection.address()) ? null : RoomStore.Refusal.TOO_MANY_NEW_ROOMS;
            }
        });
        if (result.refusal() != null) {
            LOG.info(() -> "refused " + user + " in " + room + ": " + result.refusal());
            throw switch (result.refusal()) {
                case BANNED -> new ChatException(ErrorCode.BANNED, "you are banned from " + room);
                case WRONG_PASSWORD -> new ChatException(ErrorCode.FORBIDDEN, room + " needs its password");
                case INVITE_ONLY -> new ChatException(ErrorCode.FORBIDDEN, room + " is invite-only");
                case ARCHIVED -> new ChatException(ErrorCode.FORBIDDEN, room + " is archived");
                case TOO_MANY_NEW_ROOMS -> new ChatException(ErrorCode.RATE_LIMITED, "more than "
                        + newRooms.perMinute() + " new rooms from your address in a minute: try again later");
            };
        }
        boolean cameOnline = live.admit(room, user, result.room().seq());
        if (connection.takeLostARoom() && rooms.roomsOf(user).stream().noneMatch(r -> r.room().equals(room))) {
            // A ban, kick or leave landed between the store's answer and the admission, and the admission gave
            // the room back to the user's connections: take it again. The room heard of an arrival only if the
            // user was online there before the admission.
            if (live.withdraw(room, user) && !cameOnline) {
                live.announce(room, user, false);
            }
            throw new ChatException(ErrorCode.FORBIDDEN, "you are no longer a member of " + room);
        }
        ServerFrame.Joined joined = new ServerFrame.Joined(join.ref(), room, result.room().seq(),
                result.room().epoch(), result.role().wire(), live.online(room), null, result.room().topic(),
                ServerFrame.trueOrAbsent(result.room().archived()));
        connection.send(joined);
        if (cameOnline) {
            live.announce(room, user, true);
        }
        if (result.newMember()) {
            // The user's connections on other nodes receive the room from now on (here they do already), and
            // all but this one are told, so that a page open on another device lists it.
            bus.publish(new RoomEvent.Membership(room, user, true, result.room().seq(),
                    Frames.encode(joined.withoutRef()), connection.id()));
        }
    }

    /** The room's password hash when the password matches it; null when it does not or need not be checked. */
    private String matchedPassword(Connection connection, String room, String password) {
        if (password == null || connection.receives(room)) {
            return null; // a member joins again without it
        }
        return rooms.passwordHash(room)
                .filter(hash -> passwords.matches(connection.user(), connection.address(), room, password, hash))
                .orElse(null);
    }

    /**
     * The direct conversation with another user: their room of two, made the first time. The asker gets
     * {@code joined}; the other person's connections, on every node, get it too when they were not in it yet.
     */
    void directMessage(Connection connection, ClientFrame.Dm dm) {
        String user = connection.user();
        String peer = dm.user();
        if (!UserNames.isValidUser(peer) || peer.equals(user) || peer.equals(UserNames.SYSTEM)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "a direct conversation is with another user");
        }
        if (blocks.hides(peer, user)) {
            throw new ChatException(ErrorCode.FORBIDDEN, peer + " does not take direct messages from you");
        }
        String room = DirectRooms.name(user, peer);
        RoomStore.Direct direct = rooms.direct(room, user, peer);
        RoomStore.RoomView view = direct.room();
        boolean cameOnline = live.admit(room, user, view.seq());
        ServerFrame.Joined joined = new ServerFrame.Joined(dm.ref(), room, view.seq(), view.epoch(), "member",
                live.online(room), peer, view.topic(), ServerFrame.trueOrAbsent(view.archived()));
        connection.send(joined);
        if (cameOnline) {
            live.announce(room, user, true);
        }
        if (direct.userAdded()) {
            bus.publish(new RoomEvent.Membership(room, user, true, view.seq(), Frames.encode(joined.withoutRef()),
                    connection.id()));
        }
        if (direct.peerAdded()) {
            String notice = Frames.encode(new ServerFrame.Joined(null, room, view.seq(), view.epoch(), "member",
                    live.online(room), user, view.topic(), ServerFrame.trueOrAbsent(view.archived())));
            bus.publish(new RoomEvent.Membership(room, peer, true, view.seq(), notice));
        }
    }

    void leave(Connection connection, ClientFrame.Leave leave) {
        String room = RoomNames.require(leave.room());
        if (!rooms.leave(room, connection.user())) {
            throw notMember(room);
        }
        left(room, connection.user(), connection.id());
        connection.send(new ServerFrame.Left(leave.ref(), room, null));
    }

    /** Every membership of the user ends, as by a leave of each room: a deleted account's. @return how many */
    int leaveAll(String user) {
        int left = 0;
        for (RoomStore.MemberRoom room : rooms.roomsOf(user)) {
            if (rooms.leave(room.room(), user)) {
                left(room.room(), user, null);
                left++;
            }
        }
        return left;
    }

    /** The room's presence learns it, and the user's other connections, here and on other nodes, stop receiving it. */
    private void left(String room, String user, String exceptConnection) {
        live.memberLeft(room, user);
        String notice = Frames.encode(new ServerFrame.Left(null, room, null));
        bus.publish(new RoomEvent.Membership(room, user, false, 0, notice, exceptConnection));
    }

    void members(Connection connection, ClientFrame.Members frame) {
        String room = requireMember(connection, frame.room());
        List<String> online = live.online(room);
        Map<String, Long> tips = messages.tipTotals(room);
        connection.send(new ServerFrame.Members(frame.ref(), room, rooms.members(room).stream()
                .map(m -> new ServerFrame.MemberState(m.user(), m.role().wire(), online.contains(m.user()),
                        tips.getOrDefault(m.user(), 0L)))
                .toList()));
    }

    /** A page of the rooms anybody may find and join; one more is read, to tell whether more follow. */
    void directory(Connection connection, ClientFrame.Directory frame, int limit) {
        List<RoomStore.Listing> listed = rooms.directory(frame.prefix(), frame.after(), limit + 1);
        connection.send(new ServerFrame.Directory(frame.ref(), listed.stream().limit(limit)
                .map(room -> new ServerFrame.Listed(room.name(), room.access().wire(), room.members(),
                        room.topic()))
                .toList(), listed.size() > limit));
    }

    /** The room, when the connection receives it: what every request about a room checks first. */
    static String requireMember(Connection connection, String room) {
        if (!connection.receives(room)) {
            throw notMember(room);
        }
        return room;
    }

    /** Not a member of the room; a malformed name is a bad request instead: no room can have it. */
    static ChatException notMember(String room) {
        return RoomNames.isValid(room) ? new ChatException(ErrorCode.NOT_MEMBER, "not a member of " + room)
                : RoomNames.malformed();
    }
}
