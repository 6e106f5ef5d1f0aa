package dev.parley.testing;

import dev.parley.security.BlockStore;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Blocks in memory. */
public final class InMemoryBlockStore implements BlockStore {

    private final Set<Block> blocks = ConcurrentHashMap.newKeySet();

    @Override
    public List<Block> all() {
        return List.copyOf(blocks);
    }

    @Override
    public synchronized Put put(Block block, int max) {
        if (blocks.contains(block)) {
            return Put.ALREADY;
        }
        if (blocks.stream().filter(b -> b.blocker().equals(block.blocker())).count() >= max) {
            return Put.FULL;
        }
        blocks.add(block);
        return Put.ADDED;
    }

    @Override
    public boolean remove(Block block) {
        return blocks.remove(block);
    }
}
