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
    public boolean put(Block block) {
        return blocks.add(block);
    }

    @Override
    public boolean remove(Block block) {
        return blocks.remove(block);
    }
}
