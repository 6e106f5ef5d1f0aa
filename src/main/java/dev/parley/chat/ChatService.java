package dev.parley.chat;

import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.NodeEvent;
import dev.parley.cluster.RoomEvent;
import dev.parley.config.Limits;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.Redelivery;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.BadFrameException;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Frames;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Clocks;
import dev.parley.room.Connection;
import dev.parley.room.LiveRooms;
import dev.parley.room.ModerationStore;
import dev.parley.room.Outbound;
import dev.parley.room.ReadMarkers;
import dev.parley.room.RoomStore;
import dev.parley.room.TokenBucket;
import dev.parley.security.AddressCap;
import dev.parley.security.BlockStore;
import dev.parley.security.Blocks;
import dev.parley.security.Identity;
import dev.parley.security.PasswordChecks;
import dev.parley.security.Sanction;
import dev.parley.security.Sanctions;
import dev.parley.security.TokenService;
import dev.parley.security.UserNames;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The protocol's requests as plain calls. Every frame is admitted (the connection's rate) and authorized on its
 * own against the connection's live rooms, then handed to the part of the chat it is about: signing in, typing,
 * pings and blocks here, {@link RoomEntry}, {@link MessagePosting}, {@link RoomReading}, {@link RoomModeration}.
 * Replies go to the asking connection only, and room events go out through the bus after the store has committed.
 */
public final class ChatService {

    private static final Logger LOG = Logger.getLogger(ChatService.class.getName());
    /** At most one {@code typing} per connection and room in this time reaches the others. */
    static final long TYPING_EVERY_MILLIS = 2000;

    private final RoomStore rooms;
    private final MessageStore messages;
    private final Announcements announcements;
    private final RoomModeration moderation;
    private final RoomEntry entry;
    private final MessagePosting posting;
    private final RoomTopics topics;
    private final RoomArchiving archiving;
    private final RoomPins pins;
    private final MessageReactions reactions;
    private final RoomLinks links;
    private final RoomReading reading;
    private final RoomSearch search;
    private final Redelivery redelivery;
    private final ReadMarkers markers;
    private final LiveRooms live;
    private final ClusterBus bus;
    private final TokenService tokens;
    private final Sanctions sanctions;
    private final Blocks blocks;
    /** Replaced as a whole when an operator changes them ({@link #useLimits}), never changed in place. */
    private volatile Limits limits;
    /** The steady clock, which times the connections (see {@link Clocks}). */
    private final Clock clock;

    /**
     * @param committer where messages are stored, in transactions of their own (see {@link MessagePosting})
     * @param answerer  where their senders are answered and their readers given them: one thread, in order
     * @param newRooms  rooms a client address may create in a minute
     * @param clocks    the wall clock for mutes and edits, the steady one for the connections
     */
    public ChatService(RoomStore rooms, ModerationStore moderation, MessageStore messages, Executor committer,
                       Executor answerer, Redelivery redelivery, ReadMarkers markers, LiveRooms live, ClusterBus bus,
                       TokenService tokens, PasswordChecks passwords, AddressCap newRooms, Sanctions sanctions,
                       Blocks blocks, Limits limits, Clocks clocks) {
        this.rooms = rooms;
        this.messages = messages;
        this.announcements = new Announcements(messages, bus);
        this.moderation = new RoomModeration(moderation, live, bus, passwords, blocks,
                announcements::systemLineUnlessArchived, clocks.wall());
        this.entry = new RoomEntry(rooms, messages, live, bus, passwords, newRooms, blocks);
        PostingRules rules = new PostingRules(rooms, this.moderation, sanctions, blocks, this::limits, clocks.wall());
        this.posting = new MessagePosting(rules,
                new MessageEdits(messages, this.moderation, announcements::publish, clocks.wall()),
                messages, committer, answerer, live, bus);
        this.topics = new RoomTopics(messages, this.moderation, rules, announcements::publish);
        this.archiving = new RoomArchiving(messages, this.moderation, announcements::publish, bus);
        this.pins = new RoomPins(messages, this.moderation, rules, live, this::limits, announcements::publish);
        this.reactions = new MessageReactions(messages, rules, announcements::publish);
        this.links = new RoomLinks(moderation, this.moderation, announcements::systemLineUnlessArchived, clocks.wall());
        this.reading = new RoomReading(messages, markers, live, this::limits, clocks.steady());
        this.search = new RoomSearch(messages, live, this::limits);
        this.redelivery = redelivery;
        this.markers = markers;
        this.live = live;
        this.bus = bus;
        this.tokens = tokens;
        this.sanctions = sanctions;
        this.blocks = blocks;
        this.limits = limits;
        this.clock = clocks.steady();
    }

    public Limits limits() {
        return limits;
    }

    /** Messages sent and not answered yet (to be stored, being stored, or to be answered): for the metrics. */
    public long unansweredSends() {
        return posting.unanswered();
    }

    /**
     * The limits from now on: the configured ones with those an operator changed over them (see
     * {@code OperatorLimits}). They apply to every frame from now on; a connection's frame rate and its largest
     * frame are fixed when it opens, so those apply to new connections.
     */
    public void useLimits(Limits changed) {
        Limits before = limits;
        limits = changed;
        if (!changed.equals(before)) {
            LOG.info(() -> "limits changed to " + changed);
        }
    }

    /** A socket was opened; it has {@link Limits#helloTimeout()} to say {@code hello}. */
    public Connection open(String id, String address, Outbound outbound) {
        long now = clock.millis();
        // Refusals get the same budget as frames: a client may overshoot by a burst, or by the rate itself
        // for a while, before it counts as a flood.
        Connection connection = new Connection(id, address, outbound, now,
                new TokenBucket(limits.framesPerSecond(), limits.frameBurst(), now),
                new TokenBucket(limits.framesPerSecond(), limits.frameBurst(), now));
        live.open(connection);
        return connection;
    }

    /** The socket is closed, whoever closed it, with this close code. */
    public void closed(Connection connection, int code) {
        live.close(connection);
        live.stats().closed(code);
    }

    /** A frame that does not fit the contract: answered with {@code bad_request}; the connection stays. */
    public void rejected(Connection connection, BadFrameException e) {
        connection.heard(clock.millis());
        if (!connection.isClosing() && admitted(connection, e.ref())) {
            connection.send(ServerFrame.Error.of(ErrorCode.BAD_REQUEST, e.getMessage(), e.ref()));
        }
    }

    public void handle(Connection connection, ClientFrame frame) {
        connection.heard(clock.millis());
        if (connection.isClosing() || !admitted(connection, frame.ref())) {
            return;
        }
        if (!connection.isAuthenticated() && !(frame instanceof ClientFrame.Hello)) {
            live.drop(connection, CloseCodes.NO_HELLO, "hello must be the first frame");
            return;
        }
        try {
            dispatch(connection, frame);
        } catch (RuntimeException e) {
            Refusals.answer(connection, frame.ref(), e);
        }
    }

    /**
     * The per-connection rate limit: a frame over it is refused with {@code rate_limited}; a client refused
     * more than a burst's worth at once, or more often than the rate itself, is flooding and is closed with
     * 4029.
     */
    private boolean admitted(Connection connection, String ref) {
        Connection.Admission admission = connection.admitFrame(clock.millis());
        switch (admission) {
            case ADMITTED:
                return true;
            case FLOOD:
                LOG.info(() -> "closing " + connection + " from " + connection.address() + ": flooding");
                live.drop(connection, CloseCodes.RATE_LIMITED, "rate limited");
                return false;
            default:
                live.stats().rateLimited();
                if (admission == Connection.Admission.REFUSED_FIRST) {
                    LOG.info(() -> "rate limit hit by " + connection + " from " + connection.address());
                }
                connection.send(ServerFrame.Error.of(ErrorCode.RATE_LIMITED,
                        "more than " + limits.framesPerSecond() + " frames a second; slow down", ref));
                return false;
        }
    }

    private void dispatch(Connection connection, ClientFrame frame) {
        if (frame instanceof ClientFrame.Hello hello) {
            hello(connection, hello);
        } else if (frame instanceof ClientFrame.Join join) {
            entry.join(connection, join, links.admits(join, connection.user()));
        } else if (frame instanceof ClientFrame.Leave leave) {
            entry.leave(connection, leave);
        } else if (frame instanceof ClientFrame.Send send) {
            posting.send(connection, send);
        } else if (frame instanceof ClientFrame.Ack ack) {
            reading.ack(connection, ack);
        } else if (frame instanceof ClientFrame.Sync sync) {
            reading.sync(connection, sync);
        } else if (frame instanceof ClientFrame.History history) {
            reading.history(connection, history);
        } else if (frame instanceof ClientFrame.Typing typing) {
            typing(connection, typing);
        } else if (frame instanceof ClientFrame.Ping ping) {
            connection.send(new ServerFrame.Pong(ping.ref(), ping.t()));
        } else if (frame instanceof ClientFrame.SetAccess access) {
            moderation.setAccess(connection, access);
        } else if (frame instanceof ClientFrame.Invite invite) {
            moderation.invite(connection, invite);
        } else if (frame instanceof ClientFrame.SetRole role) {
            moderation.setRole(connection, role);
        } else if (frame instanceof ClientFrame.Ban ban) {
            moderation.ban(connection, ban);
        } else if (frame instanceof ClientFrame.Unban unban) {
            moderation.unban(connection, unban);
        } else if (frame instanceof ClientFrame.Edit edit) {
            posting.edit(connection, edit);
        } else if (frame instanceof ClientFrame.Delete delete) {
            posting.delete(connection, delete);
        } else if (frame instanceof ClientFrame.Mute mute) {
            moderation.mute(connection, mute);
        } else if (frame instanceof ClientFrame.Unmute unmute) {
            moderation.unmute(connection, unmute);
        } else if (frame instanceof ClientFrame.Kick kick) {
            moderation.kick(connection, kick);
        } else if (frame instanceof ClientFrame.Dm dm) {
            entry.directMessage(connection, dm);
        } else if (frame instanceof ClientFrame.Members members) {
            entry.members(connection, members);
        } else if (frame instanceof ClientFrame.Tip tip) {
            posting.tip(connection, tip);
        } else if (frame instanceof ClientFrame.Block block) {
            block(connection, block.ref(), block.user(), true);
        } else if (frame instanceof ClientFrame.Unblock unblock) {
            block(connection, unblock.ref(), unblock.user(), false);
        } else if (frame instanceof ClientFrame.Directory directory) {
            entry.directory(connection, directory, limits.page(directory.limit()));
        } else if (frame instanceof ClientFrame.Topic topic) {
            topics.set(connection, topic);
        } else if (frame instanceof ClientFrame.Search query) {
            search.find(connection, query);
        } else if (frame instanceof ClientFrame.Pin pin) {
            pins.pin(connection, pin);
        } else if (frame instanceof ClientFrame.Unpin unpin) {
            pins.unpin(connection, unpin);
        } else if (frame instanceof ClientFrame.Pins asked) {
            pins.list(connection, asked);
        } else if (frame instanceof ClientFrame.React react) {
            reactions.react(connection, react);
        } else if (frame instanceof ClientFrame.Unreact unreact) {
            reactions.unreact(connection, unreact);
        } else if (frame instanceof ClientFrame.Link link) {
            links.link(connection, link);
        } else if (frame instanceof ClientFrame.Unlink unlink) {
            links.unlink(connection, unlink);
        } else if (frame instanceof ClientFrame.Links asked) {
            links.list(connection, asked);
        } else if (frame instanceof ClientFrame.Archive archive) {
            archiving.archive(connection, archive);
        }
    }

    private void hello(Connection connection, ClientFrame.Hello hello) {
        if (connection.isAuthenticated()) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "hello was sent already");
        }
        Optional<Identity> identity;
        try {
            identity = tokens.verify(hello.token()); // an account's token generation is read from the database
        } catch (RuntimeException e) {
            helloFailed(connection, hello, e);
            return;
        }
        if (identity.isEmpty()) {
            LOG.info(() -> "refused " + connection + " from " + connection.address() + ": bad or expired token");
            live.drop(connection, CloseCodes.BAD_TOKEN, "bad or expired token");
            return;
        }
        String user = identity.get().user();
        if (sanctions.of(user, Sanction.Kind.BAN).isPresent()) {
            LOG.info(() -> "refused " + connection + " from " + connection.address() + ": " + user + " is banned");
            live.drop(connection, CloseCodes.BANNED, "banned from this server");
            return;
        }
        LiveRooms.SignIn signIn = live.authenticate(connection, user, identity.get().expiresAt().toEpochMilli(),
                identity.get().generation(), limits.connectionsPerUser());
        if (signIn == LiveRooms.SignIn.CLOSED) {
            return; // the socket closed meanwhile: nobody to answer
        }
        if (signIn == LiveRooms.SignIn.SIGNED_OUT) {
            LOG.info(() -> "refused " + connection + " from " + connection.address() + ": " + user
                    + " set a new password or deleted the account since the token was checked");
            live.drop(connection, CloseCodes.BAD_TOKEN, live.signedOutReason(user));
            return;
        }
        if (signIn == LiveRooms.SignIn.TOO_MANY) {
            LOG.info(() -> "refused " + connection + " from " + connection.address() + ": " + user + " has "
                    + limits.connectionsPerUser() + " connections open");
            connection.send(ServerFrame.Error.of(ErrorCode.RATE_LIMITED,
                    "more than " + limits.connectionsPerUser() + " connections for one user", hello.ref()));
            live.drop(connection, CloseCodes.RATE_LIMITED, "too many connections");
            return;
        }
        try {
            welcome(connection, hello, user);
        } catch (RuntimeException e) {
            helloFailed(connection, hello, e);
        }
    }

    /**
     * A room in the welcome. Its unread lines are counted among the newest {@link MessageStore#UNREAD_SCANNED}
     * seqs after the read marker; every seq before those counts as one (a backlog that long is not read whole).
     */
    private ServerFrame.RoomState roomState(RoomStore.MemberRoom room, String user) {
        long unread = 0;
        long mentions = 0;
        if (room.behind() > 0) {
            long scannedAfter = Math.max(room.read(), room.seq() - MessageStore.UNREAD_SCANNED);
            MessageStore.Backlog backlog = messages.backlog(room.room(), user, scannedAfter, room.seq());
            unread = scannedAfter - room.read() + backlog.tallies().stream()
                    .filter(tally -> tally.unreadBy(user, live::hides)).mapToLong(MessageStore.Tally::count).sum();
            mentions = backlog.mentionedBy().stream().filter(from -> !live.hides(user, from)).count();
        }
        return new ServerFrame.RoomState(room.room(), room.seq(), room.epoch(), unread, room.read(), mentions,
                room.with(), room.topic(), ServerFrame.trueOrAbsent(room.archived()));
    }

    /**
     * A hello the server could not answer (its database away): the client connects again. Signed in and not
     * welcomed, the connection would refuse a hello again and hold its user's notices for a welcome that never
     * comes; not signed in, it would wait for the hello timeout.
     */
    private void helloFailed(Connection connection, ClientFrame.Hello hello, RuntimeException e) {
        LOG.log(Level.WARNING, "the hello of " + connection + " failed", e);
        connection.send(ServerFrame.Error.of(ErrorCode.INTERNAL, "the server failed; connect again", hello.ref()));
        live.drop(connection, CloseCodes.SERVER_ERROR, "the hello failed");
    }

    /** The signed-in connection gets its welcome, its rooms, and their replay. */
    private void welcome(Connection connection, ClientFrame.Hello hello, String user) {
        markers.flush(user); // the unread counts and the replay start from them
        List<RoomStore.MemberRoom> mine = rooms.roomsOf(user);
        connection.send(new ServerFrame.Welcome(hello.ref(), user, connection.id(), limits.heartbeatSeconds(),
                limits.editWindow().toSeconds(), mine.stream().map(r -> roomState(r, user)).toList()));
        List<String> listed = mine.stream().map(RoomStore.MemberRoom::room).toList();
        // A join on another device meanwhile held a place at the room's seq: for a room new to the user. One the
        // welcome lists is placed by its replay, from the resume or the read marker (else it would skip them).
        connection.welcomed().forEach((room, seq) -> {
            if (!listed.contains(room)) {
                live.place(connection, room, seq);
            }
        });
        live.subscribe(connection, listed);
        if (connection.takeLostARoom()) {
            // A leave, kick or ban landed between the read and the subscription, and found nothing to take. The
            // welcome listed the room: left, after it, takes it off the client's list.
            Set<String> still = rooms.roomsOf(user).stream().map(RoomStore.MemberRoom::room)
                    .collect(Collectors.toSet());
            List<String> lost = mine.stream().map(RoomStore.MemberRoom::room).filter(room -> !still.contains(room))
                    .toList();
            live.unsubscribe(connection, lost);
            lost.forEach(room -> connection.send(new ServerFrame.Left(null, room, null)));
            mine = mine.stream().filter(room -> still.contains(room.room())).toList();
        }
        redelivery.replay(connection, mine, hello.resume());
        LOG.info(() -> "connected " + connection + " from " + connection.address());
    }

    /** Blocks or unblocks another user for the asker; takes effect for every message delivered from now on. */
    private void block(Connection connection, String ref, String other, boolean block) {
        // ok carries no room: a block is between two people, wherever they meet.
        String user = connection.user();
        if (!UserNames.isValidUser(other) || other.equals(user)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "one blocks another user");
        }
        if (block && UserNames.isReserved(other)) {
            // Notices and moderation lines come from system: blocked, each would arrive as an empty placeholder.
            throw new ChatException(ErrorCode.BAD_REQUEST, other + " is the server, not a user one can block");
        }
        if (block) {
            BlockStore.Put put = blocks.block(user, other);
            if (put == BlockStore.Put.FULL) {
                throw new ChatException(ErrorCode.FORBIDDEN, "you block " + Blocks.MAX_PER_USER
                        + " users, as many as one may: unblock one first");
            }
            if (put == BlockStore.Put.ALREADY) {
                connection.send(new ServerFrame.Ok(ref, null)); // nothing changed: no node reads them again
                return;
            }
        } else if (!blocks.unblock(user, other)) {
            throw new ChatException(ErrorCode.NOT_FOUND, "you do not block " + other);
        }
        bus.publish(new NodeEvent.ModerationChanged()); // the user's connections on other nodes hide by it too
        LOG.info(() -> user + (block ? " blocked " : " unblocked ") + other);
        connection.send(new ServerFrame.Ok(ref, null));
    }

    /** Reads the room mutes again; the application runs this every few seconds, for other nodes' changes. */
    public void reloadMutes() {
        moderation.reloadMutes();
    }

    /** A stored message or event that is the same for every reader, to the room's connections on every node. */
    public void publish(StoredMessage stored) {
        announcements.publish(stored);
    }

    /**
     * Ends every membership of a user whose account was deleted: the rooms no longer list them, and connections of
     * theirs still open stop receiving the rooms. @return how many rooms they were in
     */
    public int leaveAll(String user) {
        return entry.leaveAll(user);
    }

    /**
     * Ends every invitation link of the room, for an operator, as its owner's {@code unlink} would (the room is told
     * when any were in force). @return how many were in force
     */
    public int removeLinks(String room, String by) {
        return links.removeAll(room, by);
    }

    /** An administrator archives the room (read-only from then on), with {@code line} as its last message. */
    public void archive(String room, String line) {
        archiving.archive(room, line);
    }

    /** An administrator opens an archived room again, with {@code line} as its first message since. */
    public void reopen(String room, String line) {
        archiving.reopen(room, line);
    }

    /** An administrator gives the room to one of its members (its owner's account was deleted, say). */
    public void handOver(String room, String to, String by) {
        moderation.handOver(room, to, by);
    }

    /** Whether the room is a direct conversation: its two people, and nobody runs it or is given it. */
    public boolean isDirect(String room) {
        return moderation.isDirect(room);
    }

    /** A line from {@code system} in the room, stored with its own seq: how everybody learns what happened. */
    public StoredMessage systemLine(String room, String text) {
        return announcements.systemLine(room, text);
    }

    /** As {@link #systemLine}, but nothing in an archived room (a moderation's line: the change stands). */
    public Optional<StoredMessage> systemLineUnlessArchived(String room, String text) {
        return announcements.systemLineUnlessArchived(room, text);
    }

    private void typing(Connection connection, ClientFrame.Typing typing) {
        String room = RoomEntry.requireMember(connection, typing.room());
        String user = connection.user();
        if (!connection.mayAnnounceTyping(room, clock.millis(), TYPING_EVERY_MILLIS)) {
            return; // the others were told a moment ago; typing is a hint, not a message
        }
        bus.publish(new RoomEvent.Broadcast(room, Frames.encode(new ServerFrame.Typing(room, user)), user));
    }
}
