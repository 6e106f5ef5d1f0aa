package dev.parley.room;

import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.ConnectionInfo;
import dev.parley.cluster.NodeEvent;
import dev.parley.cluster.Presence;
import dev.parley.cluster.RoomEvent;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.EncodedFrame;
import dev.parley.protocol.Frames;
import dev.parley.protocol.ServerFrame;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * The node's live connections: all of them, per user, and per room and user (which is also the node's share
 * of the room's presence: a user is online in a room while one of their connections, on any node, receives
 * it; {@link Presence} adds the nodes up). Changes are made with atomic map operations and never while
 * sending: presence frames are published after the change.
 */
public final class LiveRooms {

    private static final Logger LOG = Logger.getLogger(LiveRooms.class.getName());
    /** The reason of the 4501 that closes a connection whose token a new password ended. */
    public static final String SIGNED_OUT = "signed out: the password changed";
    /** The reason of the 4501 that closes a connection of an account its user deleted. */
    public static final String ACCOUNT_DELETED = "signed out: the account was deleted";

    private final ClusterBus bus;
    private final Presence presence;
    /** The steady clock, which times the connections. */
    private final Clock clock;
    /** The wall clock, on which a token's expiry is a time of day (see {@link Clocks}). */
    private final Clock wall;
    /**
     * Runs, in order, the presence work of the bus's events (a member joined or left elsewhere, a kick): the bus
     * hands events over on one grid thread that delivers every room's messages, and a presence report is a call
     * across the cluster, which waits as long as another node holds the entry's lock (until the grid gives up on
     * a dead one). The node's own change is made on the bus's thread, before its next event.
     */
    private final Executor presenceWork;
    private volatile Blocking blocking = Blocking.NOBODY;
    private final ChatStats stats = new ChatStats();
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    /**
     * Connections taken out while a send of theirs was in flight: their close is written after that send,
     * which a reader that stopped reading never lets complete. Each sweep checks them until the send completes
     * or times out (then they are closed with 4008); without that, such a socket would stay open for good.
     */
    private final Set<Connection> closingBehindASend = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<Connection>> byUser = new ConcurrentHashMap<>();
    /**
     * Each user's newest generation of tokens that a new password (or the account's deletion) started, as this
     * node heard, and why: a {@code hello} whose token was checked before the word came and that signs in after
     * its connections were closed is turned away here. Written before those connections are looked for, read
     * after a connection is added.
     */
    private final Map<String, SignedOut> signedOut = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Set<Connection>>> byRoom = new ConcurrentHashMap<>();

    /** With the presence work of the bus's events done on the bus's thread: for a presence of the node's own. */
    public LiveRooms(ClusterBus bus, Presence presence, Clocks clocks) {
        this(bus, presence, clocks, Runnable::run);
    }

    public LiveRooms(ClusterBus bus, Presence presence, Clocks clocks, Executor presenceWork) {
        this.bus = bus;
        this.presence = presence;
        this.clock = clocks.steady();
        this.wall = clocks.wall();
        this.presenceWork = presenceWork;
    }

    /** A new socket, not yet authenticated. */
    public void open(Connection connection) {
        connections.put(connection.id(), connection);
        stats.opened();
    }

    /** Whose messages each reader does not get; set once when the application starts. */
    public void blocking(Blocking blocking) {
        this.blocking = blocking;
    }

    /** Whether {@code reader} blocked {@code author}: then the author's messages reach the reader hidden. */
    public boolean hides(String reader, String author) {
        return blocking.hides(reader, author);
    }

    /** The node's counters, for the metrics endpoint. */
    public ChatStats stats() {
        return stats;
    }

    /**
     * After {@code hello}: the connection becomes one of the user's, unless the user has {@code maxPerUser}
     * open already. It is registered before the user's rooms are read, so that a room the user joins
     * meanwhile on another connection reaches this one too.
     *
     * @return whether the connection is signed in now (see {@link SignIn})
     */
    public SignIn authenticate(Connection connection, String user, long tokenExpiresAt, int tokenGeneration,
                               int maxPerUser) {
        boolean[] admitted = {false};
        byUser.compute(user, (u, set) -> {
            if (set == null) {
                set = ConcurrentHashMap.newKeySet();
            }
            if (set.size() < maxPerUser) {
                set.add(connection);
                admitted[0] = true;
            }
            return set.isEmpty() ? null : set;
        });
        if (!admitted[0]) {
            return SignIn.TOO_MANY;
        }
        connection.authenticate(user, tokenExpiresAt, tokenGeneration);
        SignedOut out = signedOut.get(user);
        if (out != null && tokenGeneration < out.below()) {
            return SignIn.SIGNED_OUT;
        }
        presence.connected(connection.id(), user, connection.address(), openedAt(connection));
        return closedMeanwhile(connection) ? SignIn.CLOSED : SignIn.ADMITTED;
    }

    /**
     * When the connection opened, as a time of day: its opening is timed on the steady clock, and what the grid
     * and the admin API list beside other nodes' connections must compare with their times.
     */
    public Instant openedAt(Connection connection) {
        return Instant.ofEpochMilli(wall.millis() - (clock.millis() - connection.openedAt()));
    }

    /** What became of a {@code hello}'s connection. */
    public enum SignIn {
        ADMITTED,
        /** The user has as many connections as allowed: nothing was changed. */
        TOO_MANY,
        /** The socket closed while the hello was admitted: nothing is left of it. */
        CLOSED,
        /**
         * A new password (or the account's deletion) ended the token after it was checked: the connection is to
         * be dropped, saying {@link #signedOutReason why}.
         */
        SIGNED_OUT
    }

    /** The tokens of a generation below {@code below} were ended, for {@code reason}. */
    private record SignedOut(int below, String reason) {
    }

    /** Why the user's tokens of before were ended, as this node heard: {@link #SIGNED_OUT} when it heard nothing. */
    public String signedOutReason(String user) {
        SignedOut out = signedOut.get(user);
        return out == null ? SIGNED_OUT : out.reason();
    }

    /**
     * The connection receives these rooms of its user from now on; the rooms learn the user is online. The
     * cursors hold live messages until the caller places them (replay).
     */
    public void subscribe(Connection connection, Collection<String> rooms) {
        for (String room : rooms) {
            if (add(connection, room, -1) && arrived(room, connection.user())) {
                announce(room, connection.user(), true);
            }
        }
        closedMeanwhile(connection);
    }

    /** The connection no longer receives these rooms (its user is not a member after all). */
    public void unsubscribe(Connection connection, Collection<String> rooms) {
        for (String room : rooms) {
            if (remove(connection, room) && departed(room, connection.user())) {
                announce(room, connection.user(), false);
            }
        }
    }

    /**
     * A socket that closes while its hello is admitted is closed on another thread: {@link #close} may find the
     * connection not signed in yet, or without the rooms being added now, and leave them. Whoever adds checks
     * afterwards, and takes out again what a closed connection would keep (a slot of its user's, the cluster's
     * list of connections, its rooms' presence).
     */
    private boolean closedMeanwhile(Connection connection) {
        return closedMeanwhile(connection, Runnable::run);
    }

    /** As {@link #closedMeanwhile(Connection)}, with the reports to the cluster made by {@code reports}. */
    private boolean closedMeanwhile(Connection connection, Executor reports) {
        if (connections.containsKey(connection.id())) {
            return false;
        }
        reports.execute(forgetHere(connection));
        return true;
    }

    /**
     * The socket is gone, or being closed: forget it, and tell the rooms where its user went offline. One whose
     * close waits behind a send in flight is kept for the sweep to check (see {@link #closingBehindASend}).
     */
    public void close(Connection connection) {
        closeHere(connection).run();
    }

    /** As {@link #close}, on this node only: the reports to the cluster are what it returns, to run. */
    private Runnable closeHere(Connection connection) {
        if (connections.remove(connection.id()) == null) {
            return () -> { };
        }
        if (connection.sendingMillis() > 0) {
            closingBehindASend.add(connection);
        }
        return connection.isAuthenticated() ? forgetHere(connection) : () -> { };
    }

    /** Closes the connection with 4008 if a send of its has been in flight too long; whether it did. */
    private static boolean closedIfStalled(Connection connection) {
        if (!connection.closeIfStalled()) {
            return false;
        }
        LOG.info(() -> "closed " + connection + ": too slow to read");
        return true;
    }

    /**
     * Out of its user's connections and its rooms on this node; what it returns takes it out of the cluster's
     * list and reports the rooms where its user went offline here. May run twice for one connection.
     */
    private Runnable forgetHere(Connection connection) {
        String user = connection.user();
        byUser.computeIfPresent(user, (u, set) -> set.remove(connection) && set.isEmpty() ? null : set);
        List<String> wentHere = new ArrayList<>();
        for (String room : connection.roomNames()) {
            if (remove(connection, room)) {
                wentHere.add(room);
            }
        }
        return () -> {
            presence.disconnected(connection.id());
            for (String room : wentHere) {
                if (departed(room, user)) {
                    announce(room, user, false);
                }
            }
        };
    }

    /** The server ends a connection: out of its rooms now (presence), then closed after what is queued. */
    public void drop(Connection connection, int code, String reason) {
        close(connection);
        connection.close(code, reason);
    }

    /**
     * The user became a member of the room when its seq was {@code seq}: the user's connections here
     * receive it from there, and then the room is told (through {@link #presenceWork}).
     */
    public void memberJoined(String room, String user, long seq) {
        if (admitHere(room, user, seq, presenceWork)) {
            presenceWork.execute(() -> {
                if (arrived(room, user)) {
                    announce(room, user, true);
                }
            });
        }
    }

    /**
     * Lets all the user's connections on this node receive the room after {@code seq}, without telling the
     * room yet (the joining connection first gets its {@code joined}).
     *
     * @return whether the user came online in the room, which the caller then {@link #announce}s
     */
    public boolean admit(String room, String user, long seq) {
        return admitHere(room, user, seq, Runnable::run) && arrived(room, user);
    }

    /**
     * @param reports runs the reports to the cluster of a connection found closed meanwhile
     * @return whether the user came online in the room on this node
     */
    private boolean admitHere(String room, String user, long seq, Executor reports) {
        boolean cameHere = false;
        for (Connection connection : connectionsOf(user)) {
            boolean added = add(connection, room, seq);
            // Closed since the list was read: its close forgot its rooms before this one was added.
            cameHere |= !closedMeanwhile(connection, reports) && added;
        }
        return cameHere;
    }

    /**
     * The user is no longer a member: none of the user's connections receives the room any more, and then the
     * room is told (through {@link #presenceWork}).
     */
    public void memberLeft(String room, String user) {
        if (withdrawHere(room, user)) {
            presenceWork.execute(() -> {
                if (departed(room, user)) {
                    announce(room, user, false);
                }
            });
        }
    }

    /**
     * Takes the room from all the user's connections without telling the room: for an {@link #admit} taken back
     * before its arrival was {@link #announce}d.
     *
     * @return whether the user went offline in the room
     */
    public boolean withdraw(String room, String user) {
        return withdrawHere(room, user) && departed(room, user);
    }

    /** @return whether the user went offline in the room on this node */
    private boolean withdrawHere(String room, String user) {
        boolean wentHere = false;
        for (Connection connection : connectionsOf(user)) {
            connection.lostARoom(); // first: a hello subscribing now sees this, or is seen by the removal
            wentHere |= remove(connection, room);
        }
        return wentHere;
    }

    /** Tells the room's connections, through the bus, that the user came online or went offline there. */
    public void announce(String room, String user, boolean online) {
        String json = Frames.encode(new ServerFrame.Presence(room, user, online, onlineCount(room)));
        bus.publish(new RoomEvent.Broadcast(room, json, null));
    }

    /** The users online in the room on any node, sorted. */
    public List<String> online(String room) {
        return presence.online(room);
    }

    public int onlineCount(String room) {
        return presence.count(room);
    }

    public Collection<Connection> connections() {
        return connections.values();
    }

    /** The most characters any connection here has queued: the slowest reader's backlog. */
    public long maxQueuedChars() {
        return connections.values().stream().mapToLong(Connection::queuedChars).max().orElse(0);
    }

    /** The longest send in flight here, in milliseconds; the sweep closes a connection stuck in one. */
    public long longestSendMillis() {
        return connections.values().stream().mapToLong(Connection::sendingMillis).max().orElse(0);
    }

    /** The signed-in connections of the other nodes of the cluster. */
    public List<ConnectionInfo> connectionsElsewhere() {
        return presence.connectionsElsewhere();
    }

    /**
     * The bus's receiver of node events: a kick closes the user's connections on this node at once, a new
     * password those whose token it ended; their rooms learn it through {@link #presenceWork}.
     */
    public void obey(NodeEvent event) {
        if (event instanceof NodeEvent.Kick kick) {
            connectionsOf(kick.user()).forEach(c -> dropAside(c, CloseCodes.KICKED, "kicked by an administrator"));
        } else if (event instanceof NodeEvent.SignedOut out) {
            signOut(out.user(), out.generation(), out.deleted() ? ACCOUNT_DELETED : SIGNED_OUT);
        } else if (event instanceof NodeEvent.ReadUpTo read) {
            read.readings().forEach(this::tellRead);
        }
    }

    /**
     * The reader's other connections here that receive the room and were welcomed (a room joined elsewhere has a
     * cursor before the welcome): what they counted unread up to there is read. Most readers have one connection,
     * the one that read: nothing is copied for them.
     */
    private void tellRead(NodeEvent.Reading reading) {
        Set<Connection> mine = byUser.get(reading.user());
        if (mine == null || mine.stream().allMatch(connection -> connection.id().equals(reading.by()))) {
            return;
        }
        for (Connection connection : connectionsOf(reading.user())) {
            if (!connection.id().equals(reading.by()) && connection.isWelcomed()
                    && connection.cursor(reading.room()).isPresent()) {
                connection.send(new ServerFrame.Read(reading.room(), reading.seq()));
            }
        }
    }

    /**
     * Closes with 4501 the user's connections here whose token is of a generation below this one (a new password
     * ended them): told by the bus, and by the periodic check that catches a word the bus lost.
     *
     * @return how many were closed
     */
    private int signOut(String user, int generation, String reason) {
        signedOut.merge(user, new SignedOut(generation, reason), (was, now) -> now.below() >= was.below() ? now : was);
        List<Connection> ended = connectionsOf(user).stream().filter(c -> c.tokenGeneration() < generation).toList();
        ended.forEach(c -> dropAside(c, CloseCodes.BAD_TOKEN, reason));
        return ended.size();
    }

    /**
     * The periodic check's sign-outs: the users' current generations as read, of which only those that end a
     * connection here are acted on (and remembered for the hellos checked before). {@code deleted} tells, for
     * those only, whether the account was deleted (the reason the connections are closed with).
     *
     * @return how many connections were closed
     */
    public int signOutEnded(Map<String, Integer> generations, Predicate<String> deleted) {
        return generations.entrySet().stream()
                .filter(account -> connectionsOf(account.getKey()).stream()
                        .anyMatch(c -> c.tokenGeneration() < account.getValue()))
                .mapToInt(account -> signOut(account.getKey(), account.getValue(),
                        deleted.test(account.getKey()) ? ACCOUNT_DELETED : SIGNED_OUT)).sum();
    }

    /** The users signed in on this node. */
    public Set<String> users() {
        return Set.copyOf(byUser.keySet());
    }

    /**
     * As {@link #drop}, the reports to the cluster handed to {@link #presenceWork}: a call across the cluster may
     * wait (a node paused), and the bus's thread and the sweep go on meanwhile.
     */
    private void dropAside(Connection connection, int code, String reason) {
        presenceWork.execute(closeHere(connection));
        connection.close(code, reason);
    }

    public Collection<Connection> connectionsOf(String user) {
        Set<Connection> set = byUser.get(user);
        return set == null ? List.of() : List.copyOf(set);
    }

    /** The bus's receiver: hands each event to the room's connections on this node. */
    public void deliver(RoomEvent event) {
        if (event instanceof RoomEvent.Posted posted) {
            long now = clock.millis();
            int[] receivers = {0};
            // Each form of the message is encoded and framed once for all of its readers.
            EncodedFrame everybody = new EncodedFrame(posted.json());
            EncodedFrame sender = new EncodedFrame(posted.senderJson());
            EncodedFrame[] hidden = {null}; // made once, for the readers who blocked the author, if any
            forEachReceiver(posted.room(), (user, connection) -> connection.cursor(posted.room()).ifPresent(cursor -> {
                EncodedFrame frame = user.equals(posted.from()) ? sender : everybody;
                if (posted.hideable() && blocking.hides(user, posted.from())) {
                    frame = hidden[0] == null ? hidden[0] = new EncodedFrame(Frames.hidden(posted.json())) : hidden[0];
                }
                if (cursor.live(posted.seq(), frame, now)) {
                    receivers[0]++;
                }
            }));
            stats.delivered(receivers[0]);
        } else if (event instanceof RoomEvent.Broadcast broadcast) {
            // exceptUser is who caused it (who types): neither they nor those who blocked them get it.
            String author = broadcast.exceptUser();
            EncodedFrame frame = new EncodedFrame(broadcast.json());
            forEachReceiver(broadcast.room(), (user, connection) -> {
                if (author == null || !user.equals(author) && !blocking.hides(user, author)) {
                    connection.send(frame);
                }
            });
        } else if (event instanceof RoomEvent.Membership membership) {
            // A notice goes out before the room's frames start, and after they stopped.
            if (membership.joined()) {
                notify(membership);
                memberJoined(membership.room(), membership.user(), membership.seq());
            } else {
                memberLeft(membership.room(), membership.user());
                notify(membership);
            }
        }
    }

    private void notify(RoomEvent.Membership membership) {
        if (membership.notice() != null) {
            connectionsOf(membership.user()).stream()
                    .filter(connection -> !connection.id().equals(membership.exceptConnection()))
                    .forEach(connection -> connection.sendNotice(membership.notice()));
        }
    }

    /**
     * Closes connections that said no {@code hello} in time (4401), said nothing at all for too long (4001),
     * stopped reading (4008) or outlived their token (4501). Their users' presence changes at once, without
     * waiting for the close handshake of a dead peer, reported to the cluster on {@link #presenceWork}: a node
     * paused would otherwise hold up every close of the sweep, token expiries included, and its next runs.
     *
     * @param now on the steady clock; a token's expiry is compared with the wall clock's time
     */
    public void sweep(long now, long helloTimeoutMillis, long silenceTimeoutMillis) {
        long timeOfDay = wall.millis();
        List<Connection> noHello = new ArrayList<>();
        List<Connection> silent = new ArrayList<>();
        List<Connection> expired = new ArrayList<>();
        closingBehindASend.removeIf(connection -> closedIfStalled(connection) || connection.sendingMillis() == 0);
        for (Connection connection : connections.values()) {
            if (closedIfStalled(connection) || connection.isClosing()) {
                // Closed by the server (its queue overflowed, say): its presence ends now, not when a
                // peer that may not read any more completes the close handshake.
                presenceWork.execute(closeHere(connection));
            } else if (!connection.isAuthenticated()) {
                if (now - connection.openedAt() > helloTimeoutMillis) {
                    noHello.add(connection);
                }
            } else if (now - connection.lastHeard() > silenceTimeoutMillis) {
                silent.add(connection);
            } else if (timeOfDay >= connection.tokenExpiresAt()) {
                expired.add(connection);
            }
        }
        for (Connection connection : expired) {
            LOG.info(() -> "closing " + connection + ": token expired");
            dropAside(connection, CloseCodes.BAD_TOKEN, "token expired");
        }
        for (Connection connection : noHello) {
            // Through close, not only out of the list: a hello admitted since it was picked left a slot of its
            // user's and the presence of its rooms, which only close takes back.
            dropAside(connection, CloseCodes.NO_HELLO, "no hello in time");
        }
        for (Connection connection : silent) {
            LOG.info(() -> "closing " + connection + ": heartbeat timeout");
            dropAside(connection, CloseCodes.HEARTBEAT_TIMEOUT, "heartbeat timeout");
        }
    }

    /**
     * @param placeAt where a new cursor starts (the room's seq when the user joined), or -1 to leave it
     *                holding until a replay places it
     * @return whether this made the connection's user online in the room on this node (which the caller then
     *         reports to presence: never inside the node's change, as it may be a call across the cluster)
     */
    private boolean add(Connection connection, String room, long placeAt) {
        if (!connection.addRoom(room)) {
            return false;
        }
        if (placeAt >= 0 && !connection.holdPlacement(room, placeAt)) {
            place(connection, room, placeAt);
        }
        boolean[] cameOnline = {false};
        // The room's entry is changed under its key's lock, as remove does, which drops it when it empties.
        byRoom.compute(room, (r, users) -> {
            Map<String, Set<Connection>> changed = users == null ? new ConcurrentHashMap<>() : users;
            changed.compute(connection.user(), (user, set) -> {
                if (set == null) {
                    set = ConcurrentHashMap.newKeySet();
                    cameOnline[0] = true;
                }
                set.add(connection);
                return set;
            });
            return changed;
        });
        return cameOnline[0];
    }

    /** @return whether this made the connection's user offline in the room on this node (see {@link #add}) */
    private boolean remove(Connection connection, String room) {
        if (!connection.removeRoom(room)) {
            return false;
        }
        boolean[] wentOffline = {false};
        // An empty room leaves the map: rooms are made by joining, and a node would otherwise keep one entry for
        // every room ever read on it.
        byRoom.computeIfPresent(room, (r, users) -> {
            users.computeIfPresent(connection.user(), (user, set) -> {
                set.remove(connection);
                wentOffline[0] = set.isEmpty();
                return wentOffline[0] ? null : set;
            });
            return users.isEmpty() ? null : users;
        });
        return wentOffline[0];
    }

    /** Reports the user here in the room, unless gone again meanwhile: whether the user came online there. */
    private boolean arrived(String room, String user) {
        return presence.arrived(room, user, () -> isHere(room, user));
    }

    /** Reports the user gone from here, unless back meanwhile: whether the user went offline in the room. */
    private boolean departed(String room, String user) {
        return presence.departed(room, user, () -> isHere(room, user));
    }

    /**
     * Starts the connection's cursor in a room it was given after {@code seq}. A message posted between the join's
     * commit and now reached no cursor: the first sweep checks the store for it. What came before the join is
     * history, not this connection's to ack: a resend starts after it.
     */
    public void place(Connection connection, String room, long seq) {
        long now = clock.millis();
        connection.cursor(room).ifPresent(cursor -> {
            cursor.placeAt(seq, now, true);
            cursor.acked(seq, now);
        });
    }

    /** Whether a connection of the user here receives the room: what this node reports to presence. */
    private boolean isHere(String room, String user) {
        Map<String, Set<Connection>> users = byRoom.get(room);
        return users != null && users.containsKey(user);
    }

    /** How many rooms have a connection here that receives them. */
    int roomsReceived() {
        return byRoom.size();
    }

    private void forEachReceiver(String room, java.util.function.BiConsumer<String, Connection> action) {
        Map<String, Set<Connection>> users = byRoom.get(room);
        if (users == null) {
            return;
        }
        users.forEach((user, set) -> set.forEach(connection -> action.accept(user, connection)));
    }
}
