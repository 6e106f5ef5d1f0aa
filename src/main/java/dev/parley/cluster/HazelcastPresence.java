package dev.parley.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.multimap.MultiMap;
import dev.parley.protocol.Frames;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Presence in the data grid: for each (room, user) the nodes that have the user there (a map entry changed
 * under its lock), and for each room the users online (a multimap, for the lists and counts). When a node
 * leaves the cluster, stopped or dead, the survivors take it out of every entry, and the users that were
 * only there go offline: the grid keeps a dead node's entries on their backups, so nobody else would.
 */
public final class HazelcastPresence implements Presence {

    private static final Logger LOG = Logger.getLogger(HazelcastPresence.class.getName());
    static final String NODES = "parley.presence.nodes";
    static final String ROOMS = "parley.presence.rooms";
    static final String CONNECTIONS = "parley.connections";

    private final IMap<String, HashSet<String>> nodes;
    private final MultiMap<String, String> rooms;
    /** Signed-in connections by "member/connection id", as JSON: the admins' list of every node's. */
    private final IMap<String, String> connections;
    private final Cluster cluster;
    private final UUID membershipListener;
    private final String node;
    private final String nodeName;
    private volatile BiConsumer<String, String> wentOffline = (room, user) -> { };

    /**
     * @param nodeName what the admins' connection list calls this node
     * @param executor runs the cleanup after a node left (the grid's event threads must not block)
     */
    public HazelcastPresence(HazelcastInstance hazelcast, String nodeName, Executor executor) {
        nodes = hazelcast.getMap(NODES);
        rooms = hazelcast.getMultiMap(ROOMS);
        connections = hazelcast.getMap(CONNECTIONS);
        node = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.nodeName = nodeName;
        cluster = hazelcast.getCluster();
        membershipListener = cluster.addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                // Nothing to do: a new node reports its users as they connect.
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                String gone = event.getMember().getUuid().toString();
                executor.execute(() -> removeNode(gone));
            }
        });
    }

    @Override
    public void close() {
        cluster.removeMembershipListener(membershipListener);
    }

    @Override
    public boolean arrived(String room, String user, BooleanSupplier here) {
        String key = key(room, user);
        nodes.lock(key);
        try {
            if (!here.getAsBoolean()) {
                return false;
            }
            HashSet<String> where = nodes.get(key);
            boolean first = where == null || where.isEmpty();
            HashSet<String> updated = where == null ? new HashSet<>() : where;
            updated.add(node);
            nodes.set(key, updated);
            if (first) {
                rooms.put(room, user);
            }
            return first;
        } finally {
            nodes.unlock(key);
        }
    }

    @Override
    public boolean departed(String room, String user, BooleanSupplier here) {
        return leave(room, user, node, here);
    }

    @Override
    public void whenNodeLeaves(BiConsumer<String, String> wentOffline) {
        this.wentOffline = wentOffline;
    }

    @Override
    public void connected(String id, String user, String address, Instant since) {
        connections.set(node + "/" + id, Frames.json().createObjectBuilder().add("id", id).add("user", user)
                .add("node", nodeName).add("address", address).add("since", since.toEpochMilli()).build()
                .toString());
    }

    @Override
    public void disconnected(String id) {
        connections.delete(node + "/" + id);
    }

    @Override
    public List<ConnectionInfo> connectionsElsewhere() {
        String mine = node + "/";
        return connections.entrySet().stream().filter(entry -> !entry.getKey().startsWith(mine))
                .map(entry -> Frames.readObject(entry.getValue()))
                .map(json -> new ConnectionInfo(json.getString("id"), json.getString("user"), json.getString("node"),
                        json.getString("address"), Instant.ofEpochMilli(json.getJsonNumber("since").longValue())))
                .sorted(Comparator.comparing(ConnectionInfo::since))
                .toList();
    }

    @Override
    public List<String> online(String room) {
        return rooms.get(room).stream().sorted().toList();
    }

    @Override
    public int count(String room) {
        return rooms.valueCount(room);
    }

    /**
     * Takes the node out of every entry; several survivors may run this at once, each user goes offline once. An
     * entry that fails (a partition on the move, a listener's error) does not stop the others, nor the removal of
     * the node's connections: the event does not come again, and whatever is left stays online for good.
     */
    private void removeNode(String gone) {
        int offline = 0;
        int failed = 0;
        try {
            for (String key : nodes.keySet()) {
                String[] roomAndUser = key.split("\u0000", 2);
                boolean wentOfflineHere;
                try {
                    wentOfflineHere = leave(roomAndUser[0], roomAndUser[1], gone, () -> false);
                } catch (RuntimeException e) {
                    failed++;
                    LOG.log(Level.WARNING, "could not take node " + gone + " out of " + key.replace('\u0000', '/'), e);
                    continue;
                }
                if (wentOfflineHere) {
                    offline++;
                    try {
                        wentOffline.accept(roomAndUser[0], roomAndUser[1]);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "could not tell " + roomAndUser[0] + " that " + roomAndUser[1]
                                + " went offline", e);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not read the presence entries to take node " + gone + " out of", e);
        }
        try {
            String itsConnections = gone + "/";
            connections.keySet().stream().filter(key -> key.startsWith(itsConnections)).forEach(connections::delete);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not remove the connections of node " + gone, e);
        }
        int count = offline;
        int left = failed;
        LOG.info(() -> "node " + gone + " left the cluster: " + count + " users went offline in their rooms"
                + (left == 0 ? "" : ", " + left + " entries failed"));
    }

    /** @return whether this took the user offline in the room */
    private boolean leave(String room, String user, String from, BooleanSupplier stillThere) {
        String key = key(room, user);
        nodes.lock(key);
        try {
            if (stillThere.getAsBoolean()) {
                return false;
            }
            HashSet<String> where = nodes.get(key);
            if (where == null || !where.remove(from)) {
                return false;
            }
            if (!where.isEmpty()) {
                nodes.set(key, where);
                return false;
            }
            nodes.delete(key);
            rooms.remove(room, user);
            return true;
        } finally {
            nodes.unlock(key);
        }
    }

    private static String key(String room, String user) {
        return room + "\u0000" + user;
    }
}
