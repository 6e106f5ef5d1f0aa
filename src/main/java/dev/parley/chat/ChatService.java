package dev.parley.chat;

import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.NodeEvent;
import dev.parley.cluster.RoomEvent;
import dev.parley.config.Limits;
import dev.parley.delivery.GroupCommit;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.Redelivery;
import dev.parley.delivery.StoredMessage;
import dev.parley.delivery.Tip;
import dev.parley.protocol.BadFrameException;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Frames;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Connection;
import dev.parley.room.LiveRooms;
import dev.parley.room.ModerationStore;
import dev.parley.room.Outbound;
import dev.parley.room.ReadMarkers;
import dev.parley.room.RoomNames;
import dev.parley.room.RoomStore;
import dev.parley.security.Blocks;
import dev.parley.security.Identity;
import dev.parley.security.PasswordHasher;
import dev.parley.security.Sanction;
import dev.parley.security.Sanctions;
import dev.parley.security.TokenBucket;
import dev.parley.security.TokenService;
import dev.parley.security.UserNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The protocol's requests as plain calls. Every frame is authorized on its own against the connection's
 * live rooms, replies go to the asking connection only, and room events go out through the bus after the
 * store has committed.
 */
public final class ChatService {

    private static final Logger LOG = Logger.getLogger(ChatService.class.getName());
    /** At most one {@code typing} per connection and room in this time reaches the others. */
    static final long TYPING_EVERY_MILLIS = 2000;
    /**
     * Commit loops storing messages side by side, each for its share of the rooms (see {@link GroupCommit}). Two
     * kept the store runs' receipts in time where one fell behind; four did worse than two (performance.md,
     * item 17).
     */
    static final int COMMIT_LOOPS = 2;
    /** The most messages stored in one transaction; beyond, the next transaction takes them. */
    static final int COMMIT_BATCH = 256;
    /**
     * The most messages on a node waiting to be stored or, stored, to be answered; a send past that is refused as
     * {@code rate_limited}.
     */
    static final int COMMIT_QUEUE = 8192;
    /**
     * A client resends what it got no receipt for as soon as it is connected again, before anything new: so the
     * first sends of a connection are looked up in the store before they are stored, rather than refused by its
     * unique key (which costs their whole batch a second transaction). A count, not a time: a minute's sends
     * were looked up at first, and after a start every connection's minute of lookups slowed the commit loops
     * while they were cold (performance.md, item 18).
     */
    static final int FIRST_SENDS_LOOKED_UP = 256;

    private final RoomStore rooms;
    private final RoomModeration moderation;
    private final MessageEdits edits;
    private final PasswordHasher hasher;
    private final MessageStore messages;
    private final Redelivery redelivery;
    private final ReadMarkers markers;
    private final GroupCommit commits;
    private final LiveRooms live;
    private final ClusterBus bus;
    private final TokenService tokens;
    private final Sanctions sanctions;
    private final Blocks blocks;
    /** Replaced as a whole by an operator ({@link #changeLimits}), never changed in place. */
    private volatile Limits limits;
    private final Clock clock;

    /**
     * @param committer where messages are stored, in transactions of their own (see {@link GroupCommit})
     * @param answerer  where their senders are answered and their readers given them: one thread, in order
     */
    public ChatService(RoomStore rooms, ModerationStore moderation, MessageStore messages, Executor committer,
                       Executor answerer, Redelivery redelivery, ReadMarkers markers, LiveRooms live, ClusterBus bus,
                       TokenService tokens, PasswordHasher hasher, Sanctions sanctions, Blocks blocks, Limits limits,
                       Clock clock) {
        this.redelivery = redelivery;
        this.markers = markers;
        this.commits = new GroupCommit(batch -> {
            long start = System.nanoTime();
            try {
                return messages.appendAll(batch);
            } finally {
                live.stats().batchStored(batch.size(), System.nanoTime() - start);
            }
        }, COMMIT_LOOPS, COMMIT_BATCH, COMMIT_QUEUE, committer, answerer);
        this.rooms = rooms;
        this.moderation = new RoomModeration(moderation, live, bus, hasher, this::systemLine, clock);
        this.edits = new MessageEdits(messages, this.moderation, this::publish, clock);
        this.hasher = hasher;
        this.messages = messages;
        this.live = live;
        this.bus = bus;
        this.tokens = tokens;
        this.sanctions = sanctions;
        this.blocks = blocks;
        this.limits = limits;
        this.clock = clock;
    }

    public Limits limits() {
        return limits;
    }

    /** Messages waiting now to be stored: a figure for the metrics. */
    public long waitingToBeStored() {
        return commits.waiting();
    }

    /**
     * New limits from an operator, without a restart. They apply to every frame from now on; a connection's
     * frame rate and its largest frame are fixed when it opens, so those apply to new connections.
     */
    public void changeLimits(Limits changed) {
        limits = changed;
        LOG.info(() -> "limits changed to " + changed);
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
            refuse(connection, frame.ref(), e);
        }
    }

    /** A refusal says why; anything else is the server's fault, logged, and the client may try again. */
    private void refuse(Connection connection, String ref, RuntimeException e) {
        if (e instanceof ChatException refused) {
            connection.send(ServerFrame.Error.of(refused.code(), refused.getMessage(), ref));
        } else {
            LOG.log(Level.WARNING, "failed to handle a frame of " + connection, e);
            connection.send(ServerFrame.Error.of(ErrorCode.INTERNAL, "the server failed; try again", ref));
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
            join(connection, join);
        } else if (frame instanceof ClientFrame.Leave leave) {
            leave(connection, leave);
        } else if (frame instanceof ClientFrame.Send send) {
            send(connection, send);
        } else if (frame instanceof ClientFrame.Ack ack) {
            ack(connection, ack);
        } else if (frame instanceof ClientFrame.Sync sync) {
            sync(connection, sync);
        } else if (frame instanceof ClientFrame.History history) {
            history(connection, history);
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
            edit(connection, edit);
        } else if (frame instanceof ClientFrame.Delete delete) {
            edits.delete(connection, requireMember(connection, delete.room()), delete);
        } else if (frame instanceof ClientFrame.Mute mute) {
            moderation.mute(connection, mute);
        } else if (frame instanceof ClientFrame.Unmute unmute) {
            moderation.unmute(connection, unmute);
        } else if (frame instanceof ClientFrame.Kick kick) {
            moderation.kick(connection, kick);
        } else if (frame instanceof ClientFrame.Dm dm) {
            directMessage(connection, dm);
        } else if (frame instanceof ClientFrame.Members members) {
            members(connection, members);
        } else if (frame instanceof ClientFrame.Tip tip) {
            tip(connection, tip);
        } else if (frame instanceof ClientFrame.Block block) {
            block(connection, block.ref(), block.user(), true);
        } else if (frame instanceof ClientFrame.Unblock unblock) {
            block(connection, unblock.ref(), unblock.user(), false);
        }
    }

    private void hello(Connection connection, ClientFrame.Hello hello) {
        if (connection.isAuthenticated()) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "hello was sent already");
        }
        Optional<Identity> identity = tokens.verify(hello.token());
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
                limits.connectionsPerUser());
        if (signIn == LiveRooms.SignIn.CLOSED) {
            return; // the socket closed meanwhile: nobody to answer
        }
        if (signIn == LiveRooms.SignIn.TOO_MANY) {
            LOG.info(() -> "refused " + connection + " from " + connection.address() + ": " + user + " has "
                    + limits.connectionsPerUser() + " connections open");
            connection.send(ServerFrame.Error.of(ErrorCode.RATE_LIMITED,
                    "more than " + limits.connectionsPerUser() + " connections for one user", hello.ref()));
            live.drop(connection, CloseCodes.RATE_LIMITED, "too many connections");
            return;
        }
        markers.flush(user); // the unread counts and the replay start from them
        List<RoomStore.MemberRoom> mine = rooms.roomsOf(user);
        connection.send(new ServerFrame.Welcome(hello.ref(), user, connection.id(), limits.heartbeatSeconds(),
                mine.stream().map(r -> new ServerFrame.RoomState(r.room(), r.seq(), r.epoch(), r.unread(),
                        r.unread() == 0 ? 0 : messages.mentionsOf(r.room(), user, r.acked()), r.with())).toList()));
        live.subscribe(connection, mine.stream().map(RoomStore.MemberRoom::room).toList());
        redelivery.replay(connection, mine, hello.resume());
        LOG.info(() -> "connected " + connection + " from " + connection.address());
    }

    private void join(Connection connection, ClientFrame.Join join) {
        String room = RoomNames.require(join.room());
        String user = connection.user();
        RoomStore.JoinResult result = rooms.join(room, user, (access, passwordHash, banned) -> {
            if (banned) {
                return RoomStore.Refusal.BANNED;
            }
            return switch (access) {
                case PUBLIC -> null;
                case PASSWORD -> hasher.matches(join.password(), passwordHash) ? null
                        : RoomStore.Refusal.WRONG_PASSWORD;
                case INVITE -> RoomStore.Refusal.INVITE_ONLY;
            };
        });
        if (result.refusal() != null) {
            LOG.info(() -> "refused " + user + " in " + room + ": " + result.refusal());
            throw switch (result.refusal()) {
                case BANNED -> new ChatException(ErrorCode.BANNED, "you are banned from " + room);
                case WRONG_PASSWORD -> new ChatException(ErrorCode.FORBIDDEN, room + " needs its password");
                case INVITE_ONLY -> new ChatException(ErrorCode.FORBIDDEN, room + " is invite-only");
                case ARCHIVED -> new ChatException(ErrorCode.FORBIDDEN, room + " is archived");
            };
        }
        boolean cameOnline = live.admit(room, user, result.room().seq());
        connection.send(new ServerFrame.Joined(join.ref(), room, result.room().seq(), result.room().epoch(),
                result.role().wire(), live.online(room), null));
        if (cameOnline) {
            live.announce(room, user, true);
        }
        if (result.newMember()) {
            // The user's connections on other nodes; here it changes nothing any more.
            bus.publish(new RoomEvent.Membership(room, user, true, result.room().seq(), null));
        }
    }

    /**
     * The direct conversation with another user: their room of two, made the first time. The asker gets
     * {@code joined}; the other person's connections, on every node, get it too when they were not in it yet.
     */
    private void directMessage(Connection connection, ClientFrame.Dm dm) {
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
        connection.send(new ServerFrame.Joined(dm.ref(), room, view.seq(), view.epoch(), "member", live.online(room),
                peer));
        if (cameOnline) {
            live.announce(room, user, true);
        }
        if (direct.userAdded()) {
            bus.publish(new RoomEvent.Membership(room, user, true, view.seq(), null));
        }
        if (direct.peerAdded()) {
            String notice = Frames.encode(new ServerFrame.Joined(null, room, view.seq(), view.epoch(), "member",
                    live.online(room), user));
            bus.publish(new RoomEvent.Membership(room, peer, true, view.seq(), notice));
        }
    }

    /** Blocks or unblocks another user for the asker; takes effect for every message delivered from now on. */
    private void block(Connection connection, String ref, String other, boolean block) {
        // ok carries no room: a block is between two people, wherever they meet.
        String user = connection.user();
        if (!UserNames.isValidUser(other) || other.equals(user)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "one blocks another user");
        }
        if (block) {
            blocks.block(user, other);
        } else if (!blocks.unblock(user, other)) {
            throw new ChatException(ErrorCode.NOT_FOUND, "you do not block " + other);
        }
        bus.publish(new NodeEvent.ModerationChanged()); // the user's connections on other nodes hide by it too
        LOG.info(() -> user + (block ? " blocked " : " unblocked ") + other);
        connection.send(new ServerFrame.Ok(ref, null));
    }

    /** Whether a direct message from {@code user} in {@code room} is refused: the other person blocked them. */
    private boolean refusedDirect(String room, String user) {
        return blocks.isBlockedByAnybody(user) && moderation.isDirect(room) && rooms.members(room).stream()
                .anyMatch(m -> !m.user().equals(user) && blocks.hides(m.user(), user));
    }

    private void members(Connection connection, ClientFrame.Members frame) {
        String room = requireMember(connection, frame.room());
        List<String> online = live.online(room);
        Map<String, Long> tips = messages.tipTotals(room);
        connection.send(new ServerFrame.Members(frame.ref(), room, rooms.members(room).stream()
                .map(m -> new ServerFrame.MemberState(m.user(), m.role().wire(), online.contains(m.user()),
                        tips.getOrDefault(m.user(), 0L)))
                .toList()));
    }

    /**
     * A gift to a member, stored and delivered as a message of kind {@code tip} with its own seq, once per
     * client message id as a {@code send} is; the members list adds them up.
     */
    private void tip(Connection connection, ClientFrame.Tip tip) {
        String room = requireMember(connection, tip.room());
        String user = connection.user();
        if (tip.amount() < 1 || tip.amount() > Tip.MAX_AMOUNT) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "a tip is 1 to " + Tip.MAX_AMOUNT);
        }
        if (tip.user().equals(user)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "a tip is for somebody else");
        }
        if (moderation.roleOf(room, tip.user()).isEmpty()) {
            throw new ChatException(ErrorCode.NOT_FOUND, tip.user() + " is not a member of " + room);
        }
        requireNotMuted(room, user);
        post(connection, tip.ref(), new MessageStore.NewMessage(room, user, "", StoredMessage.TIP, tip.clientMsgId(),
                null, new Tip(tip.user(), tip.amount())));
    }

    private void leave(Connection connection, ClientFrame.Leave leave) {
        String room = RoomNames.require(leave.room());
        String user = connection.user();
        if (!rooms.leave(room, user)) {
            throw notMember(room);
        }
        live.memberLeft(room, user);
        bus.publish(new RoomEvent.Membership(room, user, false, 0, null));
        connection.send(new ServerFrame.Left(leave.ref(), room, null));
    }

    private void send(Connection connection, ClientFrame.Send send) {
        String room = requireMember(connection, send.room());
        String text = send.text();
        requireText(text);
        String user = connection.user();
        requireNotMuted(room, user);
        if (refusedDirect(room, user)) {
            throw new ChatException(ErrorCode.FORBIDDEN, "the other person does not take direct messages from you");
        }
        post(connection, send.ref(), new MessageStore.NewMessage(room, user, text, StoredMessage.TEXT,
                send.clientMsgId(), send.replyTo()));
    }

    /**
     * Stores a person's message with others arriving meanwhile, in one transaction; then answers its receipt and
     * hands it to the room once (not on a repeat). Both happen after the commit, on the answerer (on the
     * committer only while the application stops: see {@link GroupCommit}).
     */
    private void post(Connection connection, String ref, MessageStore.NewMessage message) {
        long started = System.nanoTime();
        boolean maybeResent = connection.isAmongFirstPosts(FIRST_SENDS_LOOKED_UP);
        boolean queued = commits.submit(maybeResent ? message.asMaybeResent() : message, (appended, failure) -> {
            live.stats().committed(System.nanoTime() - started);
            if (failure != null) {
                refuse(connection, ref, failure);
            } else {
                stored(connection, ref, appended, started);
            }
        });
        if (!queued) {
            throw new ChatException(ErrorCode.RATE_LIMITED, "the server is busy storing messages; send again soon");
        }
    }

    private void stored(Connection connection, String ref, MessageStore.Appended appended, long started) {
        StoredMessage stored = appended.message();
        String room = stored.room();
        String user = stored.from();
        connection.send(new ServerFrame.Receipt(ref, room, stored.clientMsgId(), stored.seq(), stored.id(),
                stored.ts()));
        if (!appended.duplicate()) {
            live.stats().stored();
            ServerFrame.Message own = stored.frameFor(user);
            bus.publish(new RoomEvent.Posted(room, stored.seq(), user, Frames.encode(own.withoutClientMsgId()),
                    Frames.encode(own)));
            live.stats().deliveredAfter(System.nanoTime() - started);
        }
    }

    private void requireText(String text) {
        if (text.codePointCount(0, text.length()) > limits.maxTextChars()) {
            throw new ChatException(ErrorCode.TOO_LARGE, "text is longer than " + limits.maxTextChars()
                    + " characters");
        }
        if (text.isBlank()) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "text must not be blank");
        }
    }

    /** A server-wide mute, or one in the room, refuses the user's sends there, saying for how long. */
    private void requireNotMuted(String room, String user) {
        sanctions.of(user, Sanction.Kind.MUTE).ifPresent(mute -> {
            throw muted(mute.until(), "you are muted until an admin lifts it", "");
        });
        moderation.muteOf(room, user).ifPresent(mute -> {
            throw muted(mute.until(), "you are muted in " + room + " until a moderator lifts it", " in " + room);
        });
    }

    private ChatException muted(Instant until, String untilLifted, String where) {
        return new ChatException(ErrorCode.MUTED, until == null ? untilLifted : "you are muted" + where + " for "
                + Math.max(1, Duration.between(clock.instant(), until).toSeconds()) + " more seconds");
    }

    /** Reads the room mutes again; the application runs this every few seconds, for other nodes' changes. */
    public void reloadMutes() {
        moderation.reloadMutes();
    }

    /** The room's members edit their own messages: see {@link MessageEdits}. */
    private void edit(Connection connection, ClientFrame.Edit edit) {
        String room = requireMember(connection, edit.room());
        requireText(edit.text());
        requireNotMuted(room, connection.user());
        edits.edit(connection, room, edit, limits.editWindow());
    }

    /** A stored message or event that is the same for every reader, to the room's connections on every node. */
    public void publish(StoredMessage stored) {
        String json = Frames.encode(stored.frameFor(UserNames.SYSTEM));
        bus.publish(new RoomEvent.Posted(stored.room(), stored.seq(), stored.from(), json, json));
    }

    /** A line from {@code system} in the room, stored with its own seq: how everybody learns what happened. */
    public StoredMessage systemLine(String room, String text) {
        StoredMessage stored = messages.append(new MessageStore.NewMessage(room, UserNames.SYSTEM, text,
                StoredMessage.SYSTEM, null, null)).message();
        publish(stored);
        return stored;
    }

    private void ack(Connection connection, ClientFrame.Ack ack) {
        String room = requireMember(connection, ack.room());
        markers.ack(room, connection.user(), ack.seq());
        connection.cursor(room).ifPresent(cursor -> cursor.acked(ack.seq(), clock.millis()));
    }

    private void sync(Connection connection, ClientFrame.Sync sync) {
        String room = requireMember(connection, sync.room());
        int limit = limits.page(sync.limit());
        List<StoredMessage> page = messages.after(room, sync.after(), limit + 1);
        boolean more = page.size() > limit;
        reply(connection, sync.ref(), room, more ? page.subList(0, limit) : page, more);
        if (!more) {
            // The client has caught up after a capped replay: live delivery takes over from here.
            long upTo = page.isEmpty() ? sync.after() : page.get(page.size() - 1).seq();
            connection.cursor(room).ifPresent(cursor -> cursor.syncedTo(upTo, clock.millis()));
        }
    }

    private void history(Connection connection, ClientFrame.History history) {
        String room = requireMember(connection, history.room());
        int limit = limits.page(history.limit());
        List<StoredMessage> page = messages.before(room, history.before(), limit + 1);
        boolean more = page.size() > limit;
        reply(connection, history.ref(), room, more ? page.subList(1, page.size()) : page, more);
    }

    private void reply(Connection connection, String ref, String room, List<StoredMessage> items, boolean more) {
        String reader = connection.user();
        connection.send(new ServerFrame.Messages(ref, room, items.stream().map(m -> m.frameFor(reader, live::hides))
                .toList(),
                more));
    }

    private void typing(Connection connection, ClientFrame.Typing typing) {
        String room = requireMember(connection, typing.room());
        String user = connection.user();
        if (!connection.mayAnnounceTyping(room, clock.millis(), TYPING_EVERY_MILLIS)) {
            return; // the others were told a moment ago; typing is a hint, not a message
        }
        bus.publish(new RoomEvent.Broadcast(room, Frames.encode(new ServerFrame.Typing(room, user)), user));
    }

    private static String requireMember(Connection connection, String room) {
        if (!connection.receives(room)) {
            throw notMember(room);
        }
        return room;
    }

    static ChatException notMember(String room) {
        return new ChatException(ErrorCode.NOT_MEMBER, "not a member of " + room);
    }
}
