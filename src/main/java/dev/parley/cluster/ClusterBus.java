package dev.parley.cluster;

import java.util.function.Consumer;

/**
 * Carries room events to every node, the publishing one included. Nothing but the bus's subscribers
 * sends room events to WebSocket sessions, so a node cannot tell a local event from a remote one.
 */
public interface ClusterBus {

    void publish(RoomEvent event);

    /** Registers the node's receiver; events are handed over in the order the bus received them. */
    void subscribe(Consumer<RoomEvent> receiver);

    /** To every node, the publishing one included. */
    void publish(NodeEvent event);

    /** Registers a receiver of node events; it must not block (it may run on the grid's event thread). */
    void subscribeToNodeEvents(Consumer<NodeEvent> receiver);

    /**
     * The application stops: the bus stops listening. A grid that outlives the application (Payara's, across a
     * redeploy) would otherwise keep handing events to this copy of it, and keep it in memory.
     */
    default void close() {
    }
}
