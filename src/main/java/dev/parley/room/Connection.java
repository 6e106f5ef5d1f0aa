package dev.parley.room;

import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.EncodedFrame;
import dev.parley.protocol.Frames;
import dev.parley.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client WebSocket on this node: who it is once {@code hello} succeeded, the rooms it receives, and
 * when it was last heard from. Sending never blocks: frames go to the transport's bounded queue.
 */
public final class Connection {

    /** Notices held for a {@code welcome} at most; a hello takes far fewer room changes of its user. */
    static final int MOST_HELD_NOTICES = 64;

    private final String id;
    private final String address;
    private final Outbound outbound;
    private final long openedAt;
    private final TokenBucket frameRate;
    private final TokenBucket refusals;
    private boolean refusedLast;
    /** Messages this connection has posted, counted up to what {@link #isAmongFirstPosts} is asked about. */
    private final AtomicInteger posted = new AtomicInteger();
    private final Map<String, RoomCursor> rooms = new ConcurrentHashMap<>();
    /**
     * Times a room was given to the connection, one it had included (a join again after a leave whose news never
     * came): a change tells a reader of memberships that it may have read too early.
     */
    private final AtomicInteger roomsGiven = new AtomicInteger();
    /** When this connection last told each room that its user types. */
    private final Map<String, Long> typingToldAt = new ConcurrentHashMap<>();
    private volatile long lastHeard;
    private volatile String user;
    /** On the wall clock: a token's expiry is a time of day. */
    private volatile long tokenExpiresAt = Long.MAX_VALUE;
    /**
     * Of its token, set after the connection is among its user's: until then, the newest, so that a new password
     * meanwhile does not close a connection whose token may be of the new generation (one of an older generation
     * is turned away by {@code LiveRooms.authenticate}).
     */
    private volatile int tokenGeneration = Integer.MAX_VALUE;
    private volatile boolean closing;
    /**
     * The user lost a room (left, kicked, banned) while this connection was signed in: set before the room is
     * taken from its connections, read and cleared after a {@code hello} subscribed to the rooms it had read.
     * Both are atomic reads and writes of the flag, so the hello either sees it or its subscription is seen by
     * the removal.
     */
    private final AtomicBoolean lostARoom = new AtomicBoolean();
    /**
     * Notices of the user's rooms (joined or left on another device) that came after the sign-in and before
     * the {@code welcome}, which they follow: the welcome's list replaces the client's, so a notice before it
     * would be undone. Null while none is held. Guarded by this, as is {@link #welcomed}; queuing a frame under
     * that lock never waits.
     */
    private List<String> heldNotices;
    /**
     * Rooms given to the connection before its {@code welcome}, and the seq each starts after: their cursors
     * hold the room's messages until they are placed, after the notices. Null while none is held; guarded by this.
     */
    private Map<String, Long> heldPlacements;
    private boolean welcomed;

    /**
     * @param frameRate the frames the connection may send
     * @param refusals  the refusals it may earn before it counts as a flood; both buckets are used only by the
     *                  thread that reads the connection's frames
     */
    public Connection(String id, String address, Outbound outbound, long now, TokenBucket frameRate,
                      TokenBucket refusals) {
        this.id = id;
        this.address = address;
        this.outbound = outbound;
        this.openedAt = now;
        this.lastHeard = now;
        this.frameRate = frameRate;
        this.refusals = refusals;
    }

    /** What the rate limit says of one inbound frame. */
    public enum Admission {
        ADMITTED,
        /** Over the rate: refuse it ({@code REFUSED_FIRST} after admitted frames, worth a log line). */
        REFUSED,
        REFUSED_FIRST,
        /** Refused faster than the refusal budget allows: a flood. */
        FLOOD
    }

    public Admission admitFrame(long now) {
        if (frameRate.tryTake(now)) {
            refusedLast = false;
            return Admission.ADMITTED;
        }
        if (!refusals.tryTake(now)) {
            return Admission.FLOOD;
        }
        boolean first = !refusedLast;
        refusedLast = true;
        return first ? Admission.REFUSED_FIRST : Admission.REFUSED;
    }

    public String id() {
        return id;
    }

    public String address() {
        return address;
    }

    /** The authenticated user, or null before {@code hello}. */
    public String user() {
        return user;
    }

    public boolean isAuthenticated() {
        return user != null;
    }

    void authenticate(String user, long tokenExpiresAt, int tokenGeneration) {
        this.user = user;
        this.tokenExpiresAt = tokenExpiresAt;
        this.tokenGeneration = tokenGeneration;
    }

    /** When the token the connection said hello with expires (epoch millis); the sweep closes it then. */
    long tokenExpiresAt() {
        return tokenExpiresAt;
    }

    /** The generation of its user's tokens that the token it said hello with belongs to. */
    int tokenGeneration() {
        return tokenGeneration;
    }

    public long openedAt() {
        return openedAt;
    }

    public long lastHeard() {
        return lastHeard;
    }

    /**
     * Counts one message posted on this connection and says whether it is among its first {@code first}; the
     * count stops there, as nothing asks beyond it.
     */
    public boolean isAmongFirstPosts(int first) {
        return posted.get() < first && posted.getAndIncrement() < first;
    }

    /** Any frame counts as a sign of life, not only {@code ping}. */
    public void heard(long now) {
        lastHeard = now;
    }

    /** Whether {@code every} millis have passed since the last typing announcement to the room (and now counts). */
    public boolean mayAnnounceTyping(String room, long now, long every) {
        boolean[] may = {false};
        typingToldAt.compute(room, (r, last) -> {
            may[0] = last == null || now - last >= every;
            return may[0] ? now : last;
        });
        return may[0];
    }

    /** Whether this connection receives the room: the authorization every room frame is checked against. */
    public boolean receives(String room) {
        return rooms.containsKey(room);
    }

    void lostARoom() {
        lostARoom.set(true);
    }

    /** Whether the user lost a room since the last call: the rooms a {@code hello} read may be stale. */
    public boolean takeLostARoom() {
        return lostARoom.getAndSet(false);
    }

    /** Sends a notice of one of the user's rooms, after the {@code welcome} if that is not queued yet. */
    public void sendNotice(String json) {
        synchronized (this) {
            if (welcomed) {
                send(json);
                return;
            }
            if (heldNotices == null) {
                heldNotices = new ArrayList<>();
            }
            if (heldNotices.size() < MOST_HELD_NOTICES) {
                heldNotices.add(json);
                return;
            }
        }
        // More room changes than one hello can take: a new connection reads the rooms afresh.
        close(CloseCodes.TOO_SLOW, "too many room changes before the welcome");
    }

    /** Whether the {@code welcome} is queued: the connection receives the user's rooms from then on. */
    public synchronized boolean isWelcomed() {
        return welcomed;
    }

    /**
     * The {@code welcome} is queued: the notices held for it follow, and later ones go out at once.
     *
     * @return the rooms given meanwhile, for the caller to place their cursors now
     */
    public synchronized Map<String, Long> welcomed() {
        welcomed = true;
        if (heldNotices != null) {
            heldNotices.forEach(this::send);
            heldNotices = null;
        }
        Map<String, Long> placements = heldPlacements == null ? Map.of() : heldPlacements;
        heldPlacements = null;
        return placements;
    }

    /**
     * Keeps the room's cursor holding until the {@code welcome}, when it starts after {@code seq}.
     *
     * @return false once welcomed: the caller places the cursor now
     */
    synchronized boolean holdPlacement(String room, long seq) {
        if (welcomed) {
            return false;
        }
        if (heldPlacements == null) {
            heldPlacements = new HashMap<>();
        }
        heldPlacements.put(room, seq);
        return true;
    }

    /** Starts receiving the room; its cursor holds live messages until it is placed. */
    boolean addRoom(String room) {
        roomsGiven.incrementAndGet();
        return rooms.putIfAbsent(room, new RoomCursor(this)) == null;
    }

    int roomsGiven() {
        return roomsGiven.get();
    }

    boolean removeRoom(String room) {
        typingToldAt.remove(room); // else a connection that joins, types in and leaves new rooms grows it
        return rooms.remove(room) != null;
    }

    /** Where the connection is in a room it receives. */
    public Optional<RoomCursor> cursor(String room) {
        return Optional.ofNullable(rooms.get(room));
    }

    /** The rooms the connection receives now. */
    public List<String> roomNames() {
        return List.copyOf(rooms.keySet());
    }

    public void send(ServerFrame frame) {
        send(Frames.encode(frame));
    }

    /** Queues an encoded frame; a connection whose queue is full is closed, never waited for. */
    public void send(String json) {
        send(new EncodedFrame(json));
    }

    /** Queues a frame that other connections may get too: it is framed once for all of them. */
    public void send(EncodedFrame frame) {
        if (!outbound.offer(frame)) {
            closing = true;
            outbound.abort(CloseCodes.TOO_SLOW, "too slow to read");
        }
    }

    /** Closes after what is queued; frames that still arrive from the client are ignored from now on. */
    public void close(int code, String reason) {
        closing = true;
        outbound.close(code, reason);
    }

    public boolean isClosing() {
        return closing;
    }

    /** @return whether the connection was closed because its peer stopped reading */
    boolean closeIfStalled() {
        return outbound.closeIfStalled();
    }

    /** Characters queued for this reader and not written yet: a catch-up stops when they pass its share. */
    public long queuedChars() {
        return outbound.queuedChars();
    }

    long sendingMillis() {
        return outbound.sendingMillis();
    }

    @Override
    public String toString() {
        return "connection " + id + (user == null ? "" : " of " + user);
    }
}
