package dev.parley.cluster;

import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Who is online in which room, across the nodes: a user is online in a room while any node has a connection
 * of theirs that receives it. Each node reports its own transitions (its first connection of the user in the
 * room, its last one gone); the answers say whether that changed the user's state for the room.
 *
 * <p>A report carries {@code here}, whether the node has the user in the room, read again while the entry is
 * changed (under its lock): a report is made after the node's own change, and two connections of the user, one
 * closing while the other subscribes, could otherwise report in the other order, leaving a user online shown
 * offline, or one gone shown online, until they next came or went.
 */
public interface Presence {

    /**
     * The node's first connection of the user in the room; nothing is changed if {@code here} says it is gone
     * again (its report of that found nothing to take).
     *
     * @return whether the user came online in the room (no node had them there before)
     */
    boolean arrived(String room, String user, BooleanSupplier here);

    /**
     * The node's last connection of the user in the room is gone; nothing is changed if {@code here} says another
     * came meanwhile (its report found the node there still).
     *
     * @return whether the user went offline in the room (no node has them there now)
     */
    boolean departed(String room, String user, BooleanSupplier here);

    /** The users online in the room on any node, sorted. */
    List<String> online(String room);

    int count(String room);

    /**
     * Tells {@code wentOffline} of each (room, user) that went offline because their node left the cluster,
     * which no connection of theirs can report. A single node never leaves itself: nothing to tell.
     */
    default void whenNodeLeaves(BiConsumer<String, String> wentOffline) {
    }

    /**
     * Lists a signed-in connection of this node for the admins of the other nodes, until
     * {@link #disconnected}. A single node lists its own connections itself: nothing to do.
     */
    default void connected(String id, String user, String address, Instant since) {
    }

    default void disconnected(String id) {
    }

    /** The signed-in connections of the other nodes, gone with their node. */
    default List<ConnectionInfo> connectionsElsewhere() {
        return List.of();
    }

    /** The application stops: presence stops listening to the grid (see {@link ClusterBus#close}). */
    default void close() {
    }
}
