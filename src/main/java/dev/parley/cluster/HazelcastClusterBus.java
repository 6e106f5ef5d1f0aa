package dev.parley.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bus on the Hazelcast instance that Payara runs: one topic that every node publishes to and listens on,
 * the publishing node included. A topic keeps each publisher's order; events of one room from two nodes may
 * interleave, which the receivers' seq ordering (hold and fill) is made for.
 */
public final class HazelcastClusterBus implements ClusterBus {

    private static final Logger LOG = Logger.getLogger(HazelcastClusterBus.class.getName());
    static final String TOPIC = "parley.rooms";
    static final String NODE_TOPIC = "parley.nodes";

    private final ITopic<String> topic;
    private final ITopic<String> nodeTopic;
    private final List<Consumer<RoomEvent>> receivers = new CopyOnWriteArrayList<>();
    private final List<Consumer<NodeEvent>> nodeReceivers = new CopyOnWriteArrayList<>();

    public HazelcastClusterBus(HazelcastInstance hazelcast) {
        topic = hazelcast.getTopic(TOPIC);
        topic.addMessageListener(message -> deliver(message.getMessageObject()));
        // A topic of their own: a kick or a re-read never waits behind a room's traffic, nor delays it.
        nodeTopic = hazelcast.getTopic(NODE_TOPIC);
        nodeTopic.addMessageListener(message -> deliverToNode(message.getMessageObject()));
    }

    @Override
    public void publish(NodeEvent event) {
        nodeTopic.publish(NodeEvent.encode(event));
    }

    @Override
    public void subscribeToNodeEvents(Consumer<NodeEvent> receiver) {
        nodeReceivers.add(receiver);
    }

    private void deliverToNode(String text) {
        NodeEvent event;
        try {
            event = NodeEvent.decode(text);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dropped a node event this node cannot read (another version?): " + text, e);
            return;
        }
        nodeReceivers.forEach(receiver -> receiver.accept(event));
    }

    @Override
    public void publish(RoomEvent event) {
        topic.publish(RoomEvents.encode(event));
    }

    @Override
    public void subscribe(Consumer<RoomEvent> receiver) {
        receivers.add(receiver);
    }

    private void deliver(String text) {
        RoomEvent event;
        try {
            event = RoomEvents.decode(text);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dropped an event this node cannot read (another version?): " + text, e);
            return;
        }
        for (Consumer<RoomEvent> receiver : receivers) {
            receiver.accept(event);
        }
    }
}
