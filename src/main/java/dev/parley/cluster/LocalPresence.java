package dev.parley.cluster;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** The presence of a single node: its own transitions are the room's. */
public final class LocalPresence implements Presence {

    private final Map<String, Set<String>> byRoom = new ConcurrentHashMap<>();

    @Override
    public boolean arrived(String room, String user, BooleanSupplier here) {
        boolean[] added = {false};
        byRoom.compute(room, (r, users) -> {
            Set<String> set = users == null ? ConcurrentHashMap.newKeySet() : users;
            added[0] = here.getAsBoolean() && set.add(user);
            return set.isEmpty() ? null : set;
        });
        return added[0];
    }

    @Override
    public boolean departed(String room, String user, BooleanSupplier here) {
        boolean[] removed = {false};
        byRoom.computeIfPresent(room, (r, users) -> {
            removed[0] = !here.getAsBoolean() && users.remove(user);
            return users.isEmpty() ? null : users;
        });
        return removed[0];
    }

    @Override
    public List<String> online(String room) {
        Set<String> users = byRoom.get(room);
        return users == null ? List.of() : users.stream().sorted().toList();
    }

    @Override
    public int count(String room) {
        Set<String> users = byRoom.get(room);
        return users == null ? 0 : users.size();
    }
}
