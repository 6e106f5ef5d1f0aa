package dev.parley.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The bus of a single node (no data grid: WildFly, {@code --nohazelcast}, plain tests): events go straight
 * to the receivers on the publishing thread. Receivers only enqueue frames, so this never blocks on a socket.
 */
public final class InMemoryClusterBus implements ClusterBus {

    private final List<Consumer<RoomEvent>> receivers = new CopyOnWriteArrayList<>();
    private final List<Consumer<NodeEvent>> nodeReceivers = new CopyOnWriteArrayList<>();

    @Override
    public void publish(RoomEvent event) {
        for (Consumer<RoomEvent> receiver : receivers) {
            receiver.accept(event);
        }
    }

    @Override
    public void subscribe(Consumer<RoomEvent> receiver) {
        receivers.add(receiver);
    }

    @Override
    public void publish(NodeEvent event) {
        nodeReceivers.forEach(receiver -> receiver.accept(event));
    }

    @Override
    public void subscribeToNodeEvents(Consumer<NodeEvent> receiver) {
        nodeReceivers.add(receiver);
    }
}
