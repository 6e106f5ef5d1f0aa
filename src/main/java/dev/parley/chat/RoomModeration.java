package dev.parley.chat;

import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.NodeEvent;
import dev.parley.cluster.RoomEvent;
import dev.parley.config.Limits;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Frames;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Access;
import dev.parley.room.Connection;
import dev.parley.room.LiveRooms;
import dev.parley.room.ModerationStore;
import dev.parley.room.Role;
import dev.parley.room.RoomStore;
import dev.parley.security.Blocks;
import dev.parley.security.PasswordChecks;
import dev.parley.security.PasswordHasher;
import dev.parley.security.UserNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * The frames that run a room: its access, its moderators, who is invited and who is banned. Each checks the
 * asker's role in the room from the store, not from anything the connection remembers, so that a demotion
 * takes effect at once.
 */
final class RoomModeration {

    private static final Logger LOG = Logger.getLogger(RoomModeration.class.getName());
    /**
     * Characters of a room's password at least, counted as people count them (code points), as an account's are:
     * at 10 guesses a minute, one character would be guessed within minutes.
     */
    static final int MIN_ROOM_PASSWORD = 4;

    private final ModerationStore store;
    private final LiveRooms live;
    private final ClusterBus bus;
    private final PasswordChecks passwords;
    private final Blocks blocks;
    /** Posts a system line to a room: every moderation action is told to the room, with who did it. */
    private final BiConsumer<String, String> systemLine;
    private final RoomMutes mutes;
    private final Clock clock;

    RoomModeration(ModerationStore store, LiveRooms live, ClusterBus bus, PasswordChecks passwords, Blocks blocks,
                   BiConsumer<String, String> systemLine, Clock clock) {
        this.store = store;
        this.live = live;
        this.bus = bus;
        this.passwords = passwords;
        this.blocks = blocks;
        this.systemLine = systemLine;
        this.clock = clock;
        this.mutes = new RoomMutes(store, clock);
    }

    /** The user's mute in the room, when one is in force. */
    Optional<ModerationStore.Mute> muteOf(String room, String user) {
        return mutes.of(room, user);
    }

    /** Reads the room mutes again: picks up those made on other nodes. */
    void reloadMutes() {
        mutes.reload();
    }

    void mute(Connection connection, ClientFrame.Mute frame) {
        String room = frame.room();
        requireOutranked(connection, room, frame.user());
        Instant now = clock.instant();
        Integer minutes = frame.minutes();
        if (minutes != null && minutes > Limits.MAX_MUTE_MINUTES) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "minutes must be 1 to " + Limits.MAX_MUTE_MINUTES
                    + ", not " + minutes);
        }
        mutes.mute(new ModerationStore.Mute(room, frame.user(), minutes == null ? null
                : now.plus(Duration.ofMinutes(minutes)), connection.user(), now));
        bus.publish(new NodeEvent.ModerationChanged());
        connection.send(new ServerFrame.Ok(frame.ref(), room));
        systemLine.accept(room, connection.user() + " muted " + frame.user()
                + (minutes == null ? "" : " for " + minutes + (minutes == 1 ? " minute" : " minutes")));
    }

    void unmute(Connection connection, ClientFrame.Unmute frame) {
        String room = frame.room();
        Role mine = requireModerator(connection, room);
        requireUserName(frame.user());
        Optional<Role> theirs = store.roleOf(room, frame.user());
        // As for a mute: a moderator muted by the owner does not lift it, nor one moderator another's.
        if (frame.user().equals(connection.user()) || theirs.isPresent() && !mine.outranks(theirs.get())) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only members of lower rank can be unmuted");
        }
        if (!mutes.unmute(room, frame.user())) {
            throw new ChatException(ErrorCode.NOT_FOUND, frame.user() + " is not muted in " + room);
        }
        bus.publish(new NodeEvent.ModerationChanged());
        connection.send(new ServerFrame.Ok(frame.ref(), room));
        systemLine.accept(room, connection.user() + " unmuted " + frame.user());
    }

    void kick(Connection connection, ClientFrame.Kick frame) {
        String room = frame.room();
        requireOutranked(connection, room, frame.user());
        if (!store.kick(room, frame.user())) {
            throw new ChatException(ErrorCode.NOT_FOUND, frame.user() + " is not a member of " + room);
        }
        LOG.info(() -> connection.user() + " kicked " + frame.user() + " out of " + room);
        bus.publish(new RoomEvent.Membership(room, frame.user(), false, 0,
                Frames.encode(new ServerFrame.Left(null, room, ServerFrame.Left.KICKED))));
        connection.send(new ServerFrame.Ok(frame.ref(), room));
        systemLine.accept(room, connection.user() + " removed " + frame.user() + " from the room");
    }

    /** The asker moderates the room and the user is a member of lower rank. */
    private void requireOutranked(Connection connection, String room, String user) {
        Role mine = requireModerator(connection, room);
        requireUserName(user);
        Role theirs = store.roleOf(room, user).orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND,
                user + " is not a member of " + room));
        if (user.equals(connection.user()) || !mine.outranks(theirs)) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only members of lower rank can be muted or removed");
        }
    }

    /** The user's role in the room; empty when not a member. */
    Optional<Role> roleOf(String room, String user) {
        return store.roleOf(room, user);
    }

    boolean isDirect(String room) {
        return store.isDirect(room);
    }

    /**
     * Whether the user may delete a message of the sender's that is not their own: the owner any, a moderator
     * those of members of lower rank and of people no longer in the room. The room's notices (from
     * {@code system}) are its record of moderation: only the owner removes one.
     */
    boolean mayDelete(String room, String user, String sender) {
        Role mine = store.roleOf(room, user).orElse(Role.MEMBER);
        if (mine == Role.OWNER) {
            return true;
        }
        return mine.moderates() && !sender.equals(UserNames.SYSTEM)
                && rankOf(room, sender).map(mine::outranks).orElse(true);
    }

    /**
     * The user's role in the room, or the owner's when the owner is away from it (they come back as its owner):
     * what a moderator's act against them is weighed with. Empty for anybody else not in the room.
     */
    private Optional<Role> rankOf(String room, String user) {
        Optional<Role> role = store.roleOf(room, user);
        return role.isPresent() || !store.isOwner(room, user) ? role : Optional.of(Role.OWNER);
    }

    void setAccess(Connection connection, ClientFrame.SetAccess frame) {
        String room = frame.room();
        requireOwner(connection, room);
        Access access = Access.fromWire(frame.access()).orElseThrow(() -> new ChatException(ErrorCode.BAD_REQUEST,
                "access is public, password or invite"));
        String hash = null;
        if (access == Access.PASSWORD) {
            String password = frame.password();
            if (password == null || password.length() > PasswordHasher.MAX_LENGTH
                    || password.codePointCount(0, password.length()) < MIN_ROOM_PASSWORD) {
                throw new ChatException(ErrorCode.BAD_REQUEST, "a room password is " + MIN_ROOM_PASSWORD + " to "
                        + PasswordHasher.MAX_LENGTH + " characters");
            }
            hash = passwords.hash(password);
        }
        store.setAccess(room, access, hash);
        LOG.info(() -> connection.user() + " made " + room + " " + access.wire());
        connection.send(new ServerFrame.Ok(frame.ref(), room));
        systemLine.accept(room, connection.user() + switch (access) {
            case PUBLIC -> " made the room public";
            case PASSWORD -> " set a password for the room";
            case INVITE -> " made the room invite-only";
        });
    }

    void invite(Connection connection, ClientFrame.Invite frame) {
        String room = frame.room();
        requireModerator(connection, room);
        requireUserName(frame.user());
        // An invitation adds the user to the room unasked: not from somebody they blocked, as a direct conversation.
        if (blocks.hides(frame.user(), connection.user())) {
            throw new ChatException(ErrorCode.FORBIDDEN, frame.user() + " does not take invitations from you");
        }
        ModerationStore.Invited invited = store.invite(room, frame.user());
        switch (invited.outcome()) {
            case BANNED -> throw new ChatException(ErrorCode.CONFLICT, frame.user() + " is banned from " + room
                    + "; unban first");
            case ALREADY_MEMBER -> throw new ChatException(ErrorCode.CONFLICT, frame.user() + " is a member already");
            case ARCHIVED -> throw new ChatException(ErrorCode.FORBIDDEN, room + " is archived");
            case ADDED -> {
                RoomStore.RoomView view = invited.room();
                // Never archived: an archived room takes no invitation.
                String notice = Frames.encode(new ServerFrame.Joined(null, room, view.seq(), view.epoch(),
                        invited.role().wire(), live.online(room), null, view.topic(), null));
                bus.publish(new RoomEvent.Membership(room, frame.user(), true, view.seq(), notice));
                connection.send(new ServerFrame.Ok(frame.ref(), room));
                systemLine.accept(room, connection.user() + " invited " + frame.user());
            }
        }
    }

    void setRole(Connection connection, ClientFrame.SetRole frame) {
        String room = frame.room();
        requireOwner(connection, room);
        requireUserName(frame.user());
        Role role = switch (frame.role()) {
            case "owner" -> Role.OWNER;
            case "moderator" -> Role.MODERATOR;
            case "member" -> Role.MEMBER;
            default -> throw new ChatException(ErrorCode.BAD_REQUEST, "role is owner, moderator or member");
        };
        if (frame.user().equals(connection.user())) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "the owner's own role does not change");
        }
        if (role == Role.OWNER) {
            ModerationStore.HandedOver handed = store.handOver(room, connection.user(), frame.user());
            connection.send(new ServerFrame.Ok(frame.ref(), room));
            announce(room, handed, frame.user(), connection.user());
            return;
        }
        if (!store.setRole(room, connection.user(), frame.user(), role)) {
            throw new ChatException(ErrorCode.NOT_FOUND, frame.user() + " is not a member of " + room);
        }
        LOG.info(() -> connection.user() + " made " + frame.user() + " " + role.wire() + " of " + room);
        connection.send(new ServerFrame.Ok(frame.ref(), room));
        tellRole(room, frame.user(), role);
        systemLine.accept(room, connection.user() + " made " + frame.user() + " a " + role.wire());
    }

    /** An administrator gives the room to member {@code to}, from whoever owns it, who stays on as a moderator. */
    void handOver(String room, String to, String by) {
        announce(room, store.handOver(room, null, to), to, by);
    }

    /** The room learns both roles, the new owner's first, and whom {@code by} gave it to. */
    private void announce(String room, ModerationStore.HandedOver handed, String to, String by) {
        LOG.info(() -> by + " handed " + room + " from " + handed.from() + " to " + to);
        tellRole(room, to, Role.OWNER);
        if (handed.fromStays()) {
            tellRole(room, handed.from(), Role.MODERATOR);
        }
        systemLine.accept(room, by + " handed the room to " + to);
    }

    /** Every connection of the room, the user's own among them, learns the user's new role. */
    private void tellRole(String room, String user, Role role) {
        String changed = Frames.encode(new ServerFrame.RoleChanged(room, user, role.wire()));
        bus.publish(new RoomEvent.Broadcast(room, changed, null));
    }

    void ban(Connection connection, ClientFrame.Ban frame) {
        String room = frame.room();
        Role mine = requireModerator(connection, room);
        requireUserName(frame.user());
        Optional<Role> theirs = rankOf(room, frame.user());
        // The owner, away or not, outranks everybody: a ban would keep them out of their own room.
        if (frame.user().equals(connection.user()) || theirs.isPresent() && !mine.outranks(theirs.get())) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only members of lower rank can be banned");
        }
        store.ban(room, frame.user(), connection.user());
        LOG.info(() -> connection.user() + " banned " + frame.user() + " from " + room);
        String notice = Frames.encode(new ServerFrame.Left(null, room, ServerFrame.Left.BANNED));
        bus.publish(new RoomEvent.Membership(room, frame.user(), false, 0, notice));
        connection.send(new ServerFrame.Ok(frame.ref(), room));
        systemLine.accept(room, connection.user() + " banned " + frame.user());
    }

    void unban(Connection connection, ClientFrame.Unban frame) {
        String room = frame.room();
        Role mine = requireModerator(connection, room);
        requireUserName(frame.user());
        String by = store.bannedBy(room, frame.user()).orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND,
                frame.user() + " is not banned from " + room));
        // One lifts one's own bans and those of lower ranks (or of people gone from the room): a moderator does
        // not undo the owner's ban, nor another moderator's.
        Optional<Role> theirs = rankOf(room, by);
        if (!by.equals(connection.user()) && theirs.isPresent() && !mine.outranks(theirs.get())) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only a rank above whoever banned " + frame.user()
                    + " can lift it");
        }
        if (!store.unban(room, frame.user())) {
            throw new ChatException(ErrorCode.NOT_FOUND, frame.user() + " is not banned from " + room);
        }
        LOG.info(() -> connection.user() + " unbanned " + frame.user() + " from " + room);
        connection.send(new ServerFrame.Ok(frame.ref(), room));
        systemLine.accept(room, connection.user() + " unbanned " + frame.user());
    }

    private static void requireUserName(String user) {
        if (!UserNames.isValidUser(user)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "not a user name");
        }
    }

    /** The asker's role in the room, when it is the owner's or a moderator's; a member's is {@code forbidden}. */
    Role requireModerator(Connection connection, String room) {
        Role role = roleIn(connection, room);
        if (!role.moderates()) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only the owner and moderators of " + room + " can");
        }
        return role;
    }

    /**
     * The asker owns the room: a moderator or member is {@code forbidden}, and so is anybody in a direct conversation,
     * which nobody owns; one who is not in the room is {@code not_member}.
     */
    private void requireOwner(Connection connection, String room) {
        if (roleIn(connection, room) != Role.OWNER) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only the owner of " + room + " can");
        }
    }

    /**
     * The asker is a member of a room somebody runs (not a direct conversation); whether they own it, the caller's
     * store checks under the room's lock.
     */
    void requireMemberOfARunRoom(Connection connection, String room) {
        roleIn(connection, room);
    }

    private Role roleIn(Connection connection, String room) {
        if (!connection.receives(room)) {
            throw RoomEntry.notMember(room);
        }
        if (store.isDirect(room)) {
            throw new ChatException(ErrorCode.FORBIDDEN, "a direct conversation has its two people and nobody runs it");
        }
        return store.roleOf(room, connection.user()).orElseThrow(() -> RoomEntry.notMember(room));
    }
}
