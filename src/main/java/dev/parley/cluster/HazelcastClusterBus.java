package dev.parley.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bus on the Hazelcast instance that Payara runs: a topic for room events, one for node events and one for
 * read markers, that every node publishes to and listens on, the publishing node included. A topic keeps each
 * publisher's order; events of one room from two nodes may interleave, which the receivers' seq ordering (hold and
 * fill) is made for.
 */
public final class HazelcastClusterBus implements ClusterBus {

    private static final Logger LOG = Logger.getLogger(HazelcastClusterBus.class.getName());
    static final String TOPIC = "parley.rooms";
    static final String NODE_TOPIC = "parley.nodes";
    static final String READ_TOPIC = "parley.reads";

    private final ITopic<String> topic;
    private final ITopic<String> nodeTopic;
    private final ITopic<String> readTopic;
    private final List<Consumer<RoomEvent>> receivers = new CopyOnWriteArrayList<>();
    private final List<Consumer<NodeEvent>> nodeReceivers = new CopyOnWriteArrayList<>();
    private final UUID listener;
    private final UUID nodeListener;
    private final UUID readListener;

    public HazelcastClusterBus(HazelcastInstance hazelcast) {
        topic = hazelcast.getTopic(TOPIC);
        listener = listen(topic, RoomEvents::decode, receivers);
        // A topic of their own: a kick or a re-read never waits behind a room's traffic, nor delays it.
        nodeTopic = hazelcast.getTopic(NODE_TOPIC);
        nodeListener = listen(nodeTopic, NodeEvent::decode, nodeReceivers);
        // Read markers too, up to a fifth of the readers' each second: a kick or sign-out never waits behind them.
        readTopic = hazelcast.getTopic(READ_TOPIC);
        readListener = listen(readTopic, NodeEvent::decode, nodeReceivers);
    }

    @Override
    public void publish(RoomEvent event) {
        topic.publish(RoomEvents.encode(event));
    }

    @Override
    public void subscribe(Consumer<RoomEvent> receiver) {
        receivers.add(receiver);
    }

    @Override
    public void publish(NodeEvent event) {
        (event instanceof NodeEvent.ReadUpTo ? readTopic : nodeTopic).publish(NodeEvent.encode(event));
    }

    @Override
    public void subscribeToNodeEvents(Consumer<NodeEvent> receiver) {
        nodeReceivers.add(receiver);
    }

    @Override
    public void close() {
        topic.removeMessageListener(listener);
        nodeTopic.removeMessageListener(nodeListener);
        readTopic.removeMessageListener(readListener);
    }

    /** Hands each event of the topic, decoded, to the receivers; text this node cannot read is dropped. */
    private static <E> UUID listen(ITopic<String> topic, Function<String, E> decode, List<Consumer<E>> receivers) {
        return topic.addMessageListener(message -> {
            String text = message.getMessageObject();
            E event;
            try {
                event = decode.apply(text);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "dropped an event this node cannot read (another version?): " + text, e);
                return;
            }
            receivers.forEach(receiver -> receiver.accept(event));
        });
    }
}
