package dev.parley.room;

import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.Frames;
import dev.parley.protocol.ServerFrame;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client WebSocket on this node: who it is once {@code hello} succeeded, the rooms it receives, and
 * when it was last heard from. Sending never blocks: frames go to the transport's bounded queue.
 */
public final class Connection {

    private final String id;
    private final String address;
    private final Outbound outbound;
    private final long openedAt;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private volatile long lastHeard;
    private volatile String user;

    public Connection(String id, String address, Outbound outbound, long now) {
        this.id = id;
        this.address = address;
        this.outbound = outbound;
        this.openedAt = now;
        this.lastHeard = now;
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

    void authenticate(String user) {
        this.user = user;
    }

    public long openedAt() {
        return openedAt;
    }

    public long lastHeard() {
        return lastHeard;
    }

    /** Any frame counts as a sign of life, not only {@code ping}. */
    public void heard(long now) {
        lastHeard = now;
    }

    /** Whether this connection receives the room: the authorization every room frame is checked against. */
    public boolean receives(String room) {
        return rooms.contains(room);
    }

    Set<String> rooms() {
        return rooms;
    }

    public void send(ServerFrame frame) {
        send(Frames.encode(frame));
    }

    /** Queues an encoded frame; a connection whose queue is full is closed, never waited for. */
    public void send(String json) {
        if (!outbound.offer(json)) {
            outbound.abort(CloseCodes.TOO_SLOW, "too slow to read");
        }
    }

    public void close(int code, String reason) {
        outbound.close(code, reason);
    }

    /** @return whether the connection was closed because its peer stopped reading */
    boolean closeIfStalled() {
        return outbound.closeIfStalled();
    }

    @Override
    public String toString() {
        return "connection " + id + (user == null ? "" : " of " + user);
    }
}
