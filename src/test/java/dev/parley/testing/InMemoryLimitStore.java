package dev.parley.testing;

import dev.parley.admin.LimitStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The runtime limits an operator changed, in memory: one value per name, as in the table. */
public final class InMemoryLimitStore implements LimitStore {

    private final Map<String, Integer> byName = new ConcurrentHashMap<>();

    @Override
    public Map<String, Integer> changed() {
        return Map.copyOf(byName);
    }

    @Override
    public void change(Map<String, Integer> limits) {
        byName.putAll(limits);
    }

    @Override
    public void reset() {
        byName.clear();
    }
}
