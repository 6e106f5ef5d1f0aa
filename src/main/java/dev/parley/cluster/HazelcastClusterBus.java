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

    private final ITopic<String> topic;
    private final List<Consumer<RoomEvent>> receivers = new CopyOnWriteArrayList<>();

    public HazelcastClusterBus(HazelcastInstance hazelcast) {
        topic = hazelcast.getTopic(TOPIC);
        topic.addMessageListener(message -> deliver(message.getMessageObject()));
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
