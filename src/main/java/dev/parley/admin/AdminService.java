package dev.parley.admin;

import dev.parley.chat.ChatService;
import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.ConnectionInfo;
import dev.parley.cluster.NodeEvent;
import dev.parley.cluster.RoomEvent;
import dev.parley.config.Limits;
import dev.parley.config.Settings;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Frames;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Connection;
import dev.parley.room.LiveRooms;
import dev.parley.room.RoomNames;
import dev.parley.room.RoomStore;
import dev.parley.security.AccountService;
import dev.parley.security.Sanction;
import dev.parley.security.Sanctions;
import dev.parley.security.UserNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The operations an operator runs, in plain Java: the REST API and the JMX console only translate to these.
 * Every change is written to the audit trail (and the {@code dev.parley.audit} log) with who made it.
 */
public final class AdminService {

    private static final Logger LOG = Logger.getLogger(AdminService.class.getName());
    private static final Logger AUDIT = Logger.getLogger("dev.parley.audit");
    /** The sender of notices; no account or guest can have this name. */
    public static final String SYSTEM = UserNames.SYSTEM;
    /** Who the audit trail names for the purges of the message retention. */
    public static final String RETENTION = UserNames.RETENTION;
    /** Rows a purge removes per transaction: small enough that writers never wait long for it. */
    static final int PURGE_BATCH = 1000;
    static final int MAX_PURGE_DAYS = Settings.MAX_RETENTION_DAYS;
    static final int MAX_AUDIT_ENTRIES = 500;

    private final RoomStore rooms;
    private final MessageStore messages;
    private final LiveRooms live;
    private final ClusterBus bus;
    private final ChatService chat;
    private final Sanctions sanctions;
    private final AccountService accounts;
    private final AuditLog audit;
    private final OperatorLimits limits;
    private final Clock clock;
    private final String node;

    public AdminService(RoomStore rooms, MessageStore messages, LiveRooms live, ClusterBus bus, ChatService chat,
                        Sanctions sanctions, AccountService accounts, AuditLog audit, OperatorLimits limits,
                        Clock clock, String node) {
        this.rooms = rooms;
        this.messages = messages;
        this.live = live;
        this.bus = bus;
        this.chat = chat;
        this.sanctions = sanctions;
        this.accounts = accounts;
        this.audit = audit;
        this.limits = limits;
        this.clock = clock;
        this.node = node;
    }

    /**
     * A room with its latest seq, how many messages it stores, its members and how many are online, and its topic
     * (null: none).
     */
    public record RoomInfo(String room, long seq, String owner, String access, long members, int online,
                           long messages, boolean archived, String topic) {
    }

    public record MemberInfo(String user, String role, boolean online) {
    }

    /** {@code direct}: a direct conversation, which nobody runs or is given ({@code owner} is who opened it). */
    public record RoomDetail(String room, long seq, String owner, String access, boolean archived, long messages,
                             List<MemberInfo> members, String topic, boolean direct) {
    }

    public List<RoomInfo> rooms() {
        Map<String, Long> counts = messages.countsByRoom();
        return rooms.all().stream().map(r -> info(r, counts.getOrDefault(r.name(), 0L))).toList();
    }

    public RoomDetail room(String room) {
        RoomStore.RoomSummary summary = summary(room);
        List<String> online = live.online(room);
        List<MemberInfo> members = rooms.members(room).stream()
                .map(m -> new MemberInfo(m.user(), m.role().wire(), online.contains(m.user())))
                .toList();
        return new RoomDetail(room, summary.seq(), summary.owner(), summary.access().wire(), summary.archived(),
                messages.countIn(room), members, summary.topic(), chat.isDirect(room));
    }

    /** The signed-in connections of every node: this node's own, then those the other nodes listed. */
    public List<ConnectionInfo> connections() {
        return Stream.concat(live.connections().stream().filter(Connection::isAuthenticated)
                        .map(c -> new ConnectionInfo(c.id(), c.user(), node, c.address(), live.openedAt(c))),
                live.connectionsElsewhere().stream())
                .toList();
    }

    /**
     * Closes every connection of the user with 4503, on every node (each node closes its own when the bus
     * brings it the kick); the client must not reconnect by itself.
     *
     * @return how many connections the user had in the cluster
     */
    public int kick(String user, String by) {
        requireUser(user);
        int theirs = live.connectionsOf(user).size() + connectionsElsewhere(user);
        bus.publish(new NodeEvent.Kick(user));
        audited(by, "kick", user, theirs + " connections closed");
        return theirs;
    }

    /**
     * Ends the user's membership of the room: their connections get {@code left} with reason {@code kicked}
     * and stop receiving the room; the room sees a system line. They may join again (a ban keeps them out).
     */
    public void removeFromRoom(String room, String user, String by) {
        RoomNames.require(room);
        requireUser(user);
        if (!rooms.leave(room, user)) {
            throw new ChatException(ErrorCode.NOT_FOUND, user + " is not a member of " + room);
        }
        bus.publish(new RoomEvent.Membership(room, user, false, 0,
                Frames.encode(new ServerFrame.Left(null, room, ServerFrame.Left.KICKED))));
        chat.systemLineUnlessArchived(room, user + " was removed from the room by an administrator");
        audited(by, "remove-member", room + "/" + user, null);
    }

    /**
     * Mutes the user on the whole server: their sends are answered with {@code muted} until the time is up or
     * the mute is lifted; they still read.
     *
     * @param minutes 1 to a year's worth; null mutes until lifted
     */
    public Sanction mute(String user, Integer minutes, String by) {
        requireKnown(user);
        requireWithin("minutes", minutes, 1, Limits.MAX_MUTE_MINUTES);
        Sanction mute = sanctions.impose(user, Sanction.Kind.MUTE, minutes == null ? null
                : Duration.ofMinutes(minutes), by);
        bus.publish(new NodeEvent.ModerationChanged());
        audited(by, "mute", user, minutes == null ? "until lifted" : minutes + " minutes");
        return mute;
    }

    /**
     * Whether the user is banned from the server. An admin's token carries the role until it expires: a banned
     * admin's does not administer (it could lift its own ban).
     */
    public boolean isBanned(String user) {
        return sanctions.of(user, Sanction.Kind.BAN).isPresent();
    }

    /**
     * Bans the user from the server until lifted: their connections here are closed with 4504 at once (on
     * other nodes when the bus tells them to read the bans again, see {@link #enforceBans}), and every
     * {@code hello} of theirs is refused so.
     */
    public Sanction ban(String user, String by) {
        requireKnown(user);
        if (user.equals(by)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "an administrator does not ban themselves: their token"
                    + " would administer no more, and only JMX could lift it");
        }
        int elsewhere = connectionsElsewhere(user);
        Sanction ban = sanctions.impose(user, Sanction.Kind.BAN, null, by);
        int closed = enforceBans() + elsewhere;
        bus.publish(new NodeEvent.ModerationChanged());
        audited(by, "ban", user, closed + " connections closed");
        return ban;
    }

    /** The user's connections on the other nodes, which close when the bus brings them the kick or the ban. */
    private int connectionsElsewhere(String user) {
        return (int) live.connectionsElsewhere().stream().filter(c -> c.user().equals(user)).count();
    }

    /** Lifts the user's mute or ban; {@code not_found} when there is none. */
    public void lift(String user, Sanction.Kind kind, String by) {
        requireUser(user);
        if (!sanctions.lift(user, kind)) {
            throw new ChatException(ErrorCode.NOT_FOUND, user + " has no " + kind.wire());
        }
        bus.publish(new NodeEvent.ModerationChanged());
        audited(by, "lift-" + kind.wire(), user, null);
    }

    /**
     * Gives the user a new password, for one who forgot theirs: their tokens of before stop working and the
     * connections that said hello with one are closed with 4501, on every node. The password is never written
     * to the audit trail or the log.
     */
    public void resetPassword(String user, String password, String by) {
        requireUser(user);
        switch (accounts.resetPassword(user, password)) {
            case BAD_PASSWORD -> throw new ChatException(ErrorCode.BAD_REQUEST, AccountService.PASSWORD_RULE);
            case NO_ACCOUNT -> throw new ChatException(ErrorCode.NOT_FOUND, user + " has no account");
            case RACED -> throw new ChatException(ErrorCode.CONFLICT,
                    user + " was changing their password: try again");
            case SET -> audited(by, "reset-password", user, "tokens of before ended");
        }
    }

    /**
     * Deletes the user's account, for one who asked and cannot sign in (or one that should not be), as their own
     * deletion would: their tokens end, their connections close (4501) and their memberships end, on every node;
     * the name stays taken and the messages stay. Not the first admin's.
     */
    public void deleteAccount(String user, String by) {
        requireUser(user);
        switch (accounts.erase(user)) {
            case NO_ACCOUNT -> throw new ChatException(ErrorCode.NOT_FOUND, user + " has no account");
            case ADMIN -> throw new ChatException(ErrorCode.CONFLICT,
                    "the first administrator's account is not deleted: the server would have no administrator");
            case RACED -> throw new ChatException(ErrorCode.CONFLICT,
                    user + " was changing their password: try again");
            case DELETED -> audited(by, "delete-account", user, roomsLeftBy(user));
        }
    }

    /**
     * Ends a deleted account's memberships. The account is deleted whatever happens here, as at the user's own
     * deletion: a failure is written to the log and the audit trail, not answered (a retry would find no account).
     */
    private String roomsLeftBy(String user) {
        try {
            return chat.leaveAll(user) + " rooms left";
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the rooms of the deleted account " + user + " may still list it", e);
            return "its rooms may still list it: see the log";
        }
    }

    public List<Sanction> sanctions() {
        return sanctions.inForce();
    }

    /**
     * Accounts whose name starts with {@code prefix} (any case), a page at a time: up to {@code limit} after the
     * name {@code after}. An operator finds the exact name to act on with it.
     */
    public List<AccountService.Listing> accounts(String prefix, String after, int limit) {
        try {
            return accounts.list(prefix == null ? "" : prefix, after, limit);
        } catch (IllegalArgumentException e) {
            throw new ChatException(ErrorCode.BAD_REQUEST, e.getMessage());
        }
    }

    /** Closes the connections here of users banned anywhere in the cluster; returns how many. */
    public int enforceBans() {
        List<Connection> banned = live.connections().stream().filter(Connection::isAuthenticated)
                .filter(c -> sanctions.of(c.user(), Sanction.Kind.BAN).isPresent()).toList();
        banned.forEach(connection -> live.drop(connection, CloseCodes.BANNED, "banned from this server"));
        return banned.size();
    }

    /**
     * Closes the connections here of tokens a new password ended on another node: the bus's word does so at once;
     * this, run with the re-read of the bans, catches a word the bus lost. Returns how many.
     */
    public int enforceSignOuts() {
        return live.signOutEnded(accounts.generations(live.users()), accounts::isDeleted);
    }

    /** A system message in the room, stored and delivered like any other, with its own seq. */
    public StoredMessage notice(String room, String text, String by) {
        RoomNames.require(room);
        requireNotice(text);
        StoredMessage stored = systemLine(room, text);
        audited(by, "notice", room, "seq " + stored.seq());
        return stored;
    }

    /** The notice in every room that is not archived; returns how many rooms got it. */
    public int noticeToAll(String text, String by) {
        requireNotice(text);
        List<String> open = rooms.all().stream().filter(r -> !r.archived()).map(RoomStore.RoomSummary::name)
                .toList();
        int told = 0;
        for (String room : open) {
            // A room archived since the list was read takes none, and is not counted.
            told += chat.systemLineUnlessArchived(room, text).isPresent() ? 1 : 0;
        }
        audited(by, "notice-all", told + " rooms", null);
        return told;
    }

    /**
     * Makes the room read-only: members keep reading it, nobody sends or joins; a system line says so. The line and
     * the archiving are one: members see no message after it, and no line of an archive that failed.
     */
    public RoomInfo archive(String room, String by) {
        RoomNames.require(room);
        chat.archive(room, "This room was archived by an administrator: it is read-only now.");
        audited(by, "archive", room, null);
        return roomInfo(room);
    }

    /** As {@link #archive}, one: two reopens at once do not both answer, nor tell the room twice. */
    public RoomInfo reopen(String room, String by) {
        RoomNames.require(room);
        chat.reopen(room, "This room was reopened by an administrator.");
        audited(by, "reopen", room, null);
        return roomInfo(room);
    }

    /**
     * Deletes a message: its text leaves storage, and a deletion event with its own seq tells every member
     * (live, and by replay those who were away).
     */
    public StoredMessage deleteMessage(String room, long seq, String by) {
        RoomNames.require(room);
        StoredMessage event = messages.delete(room, seq, by);
        chat.publish(event);
        audited(by, "delete-message", room + "/" + seq, "event seq " + event.seq());
        return event;
    }

    /**
     * Clears the room's topic (one its owner or moderators set that should not be there, shown in the directory
     * to everybody): an event with its own seq tells every member, as their own clearing would. Archived rooms
     * too.
     */
    public StoredMessage clearTopic(String room, String by) {
        RoomNames.require(room);
        StoredMessage event = messages.setTopic(room, "", by);
        chat.publish(event);
        audited(by, "clear-topic", room, "event seq " + event.seq());
        return event;
    }

    /**
     * Ends every invitation link of the room (one that went where it should not), as its owner's {@code unlink}
     * would: the room is told when any were in force. Archived rooms too. @return how many were in force
     */
    public int removeLinks(String room, String by) {
        summary(room); // a room that does not exist is not found, rather than without links
        int removed = chat.removeLinks(room, by);
        audited(by, "remove-links", room, removed + " links");
        return removed;
    }

    /**
     * Gives the room to one of its members, from whoever owns it (an owner whose account was deleted, or who
     * left it to nobody): the new owner's role, and the old owner's (a moderator now, when a member), are told
     * to the room, as the owner's own hand-over would. Archived rooms too.
     */
    public RoomInfo handOver(String room, String to, String by) {
        RoomNames.require(room);
        requireUser(to);
        chat.handOver(room, to, by);
        audited(by, "hand-over", room, "to " + to);
        return roomInfo(room);
    }

    /** Removes every message older than {@code days} days, in batches; returns how many. */
    public int purge(int days, String by) {
        requireWithin("olderThanDays", days, 1, MAX_PURGE_DAYS);
        Instant before = clock.instant().minus(Duration.ofDays(days));
        int total = 0;
        int removed;
        // Until a batch finds nothing: another purge at once (a retry, another node's retention) takes some of a
        // batch's rows, which then removes fewer than it read although more are left.
        do {
            removed = messages.purge(before, PURGE_BATCH);
            total += removed;
        } while (removed > 0);
        int purged = total;
        if (purged > 0 || !RETENTION.equals(by)) { // an hourly "nothing to do" would bury the trail
            audited(by, "purge", "messages before " + before, purged + " removed");
        }
        return purged;
    }

    public List<AuditEntry> audit(int limit) {
        requireWithin("limit", limit, 1, MAX_AUDIT_ENTRIES);
        return audit.recent(limit);
    }

    public Limits limits() {
        return chat.limits();
    }

    /**
     * Changes the limits an operator may change at runtime (null keeps a value), here at once and on the other
     * nodes when the bus tells them; stored, they outlast restarts. Each must be positive; the text limit at most
     * 8,000 characters and the frame at least 1 KiB and at most 16 MiB.
     */
    public Limits changeLimits(Integer framesPerSecond, Integer frameBurst, Integer maxFrameBytes,
                               Integer maxTextChars, String by) {
        if (framesPerSecond == null && frameBurst == null && maxFrameBytes == null && maxTextChars == null) {
            throw new ChatException(ErrorCode.BAD_REQUEST,
                    "no limit given: framesPerSecond, frameBurst, maxFrameBytes or maxTextChars");
        }
        Limits changed;
        try {
            changed = limits.change(framesPerSecond, frameBurst, maxFrameBytes, maxTextChars);
        } catch (IllegalArgumentException outOfRange) {
            throw new ChatException(ErrorCode.BAD_REQUEST, outOfRange.getMessage());
        }
        audited(by, "change-limits", "limits", changed.toString());
        return changed;
    }

    /** Forgets every change of the limits: each node runs its configured ones again, as after its start. */
    public Limits resetLimits(String by) {
        Limits configured = limits.reset();
        audited(by, "reset-limits", "limits", configured.toString());
        return configured;
    }

    /** The limits changed on other nodes, or the stored ones at start: read and put in force here. */
    public void reloadLimits() {
        limits.reload();
    }

    private StoredMessage systemLine(String room, String text) {
        return chat.systemLine(room, text);
    }

    private RoomStore.RoomSummary summary(String room) {
        RoomNames.require(room);
        return rooms.summary(room).orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no room " + room));
    }

    private RoomInfo roomInfo(String room) {
        return info(summary(room), messages.countIn(room));
    }

    private RoomInfo info(RoomStore.RoomSummary r, long stored) {
        return new RoomInfo(r.name(), r.seq(), r.owner(), r.access().wire(), r.members(),
                live.onlineCount(r.name()), stored, r.archived(), r.topic());
    }

    private void requireNotice(String text) {
        int maxTextChars = chat.limits().maxTextChars();
        if (text == null || text.isBlank() || text.codePointCount(0, text.length()) > maxTextChars) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "a notice is 1 to " + maxTextChars + " characters");
        }
        try {
            Frames.requireStorableText("a notice", text); // JMX's notices, too, as the chat's frames
        } catch (IllegalArgumentException e) {
            throw new ChatException(ErrorCode.BAD_REQUEST, e.getMessage());
        }
        if (Frames.holdsControls(text)) { // as a message's text: every reader gets it
            throw new ChatException(ErrorCode.BAD_REQUEST,
                    "a notice must not hold control characters other than tab and line breaks");
        }
    }

    /**
     * A sanction on a name nobody has (a wrong case: accounts are {@code Bob} or {@code bob}) would leave the
     * one meant free, and hold whoever registers the name later.
     */
    private void requireKnown(String user) {
        requireUser(user);
        if (!accounts.isKnown(user)) {
            throw new ChatException(ErrorCode.NOT_FOUND, user + " has no account");
        }
    }

    private static void requireUser(String user) {
        if (!UserNames.isValidUser(user)) {
            // Not the name itself: it could be a thousand characters, or a line break for the audit log.
            throw new ChatException(ErrorCode.BAD_REQUEST, "a user name is 1-38 of letters, digits, _ - .");
        }
    }

    /** An absent value is not checked (it keeps what is); one out of range is a bad request naming range and value. */
    private static void requireWithin(String name, Integer value, int min, int max) {
        if (value == null) {
            return;
        }
        try {
            Limits.requireWithin(name, value, min, max);
        } catch (IllegalArgumentException e) {
            throw new ChatException(ErrorCode.BAD_REQUEST, e.getMessage());
        }
    }

    /**
     * Written after the operation took effect: a trail that failed to store (the database went away) is
     * still in the log, and does not turn a done operation into an error that invites a second try.
     */
    private void audited(String by, String action, String target, String detail) {
        AUDIT.info(() -> by + " " + action + " " + target + (detail == null ? "" : " (" + detail + ")"));
        try {
            audit.record(new AuditEntry(clock.instant(), by, action, target, detail));
        } catch (RuntimeException e) {
            AUDIT.log(Level.WARNING, "the audit entry was not stored: " + by + " " + action + " " + target, e);
        }
    }
}
