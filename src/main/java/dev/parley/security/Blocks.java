package dev.parley.security;

import dev.parley.room.Blocking;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The blocks, answered from memory: every delivery asks. Changes made here are seen here at once; those
 * made on another node arrive with {@link #reload}, at once when the bus tells of them and every
 * {@code parley.moderation.reread.seconds} in case it did not. Every node holds them all, and reads them all
 * again on each change: a user blocks at most {@value #MAX_PER_USER} others.
 */
public final class Blocks implements Blocking {

    public static final int MAX_PER_USER = 1000;

    private final BlockStore store;
    private volatile Set<BlockStore.Block> all = Set.of();
    private volatile Set<String> blockedByAnybody = Set.of();

    public Blocks(BlockStore store) {
        this.store = store;
    }

    @Override
    public boolean hides(String reader, String author) {
        return blockedByAnybody.contains(author) && all.contains(new BlockStore.Block(reader, author));
    }

    /** Whether anybody at all blocks the user: most users, nobody does, and then nothing else is asked. */
    public boolean isBlockedByAnybody(String user) {
        return blockedByAnybody.contains(user);
    }

    /** Read again only when it changed something. */
    public BlockStore.Put block(String blocker, String blocked) {
        BlockStore.Put put = store.put(new BlockStore.Block(blocker, blocked), MAX_PER_USER);
        if (put == BlockStore.Put.ADDED) {
            reload();
        }
        return put;
    }

    /** Read again only when there was one. */
    public boolean unblock(String blocker, String blocked) {
        boolean removed = store.remove(new BlockStore.Block(blocker, blocked));
        if (removed) {
            reload();
        }
        return removed;
    }

    public void reload() {
        List<BlockStore.Block> blocks = store.all();
        all = Set.copyOf(blocks);
        blockedByAnybody = blocks.stream().map(BlockStore.Block::blocked).collect(Collectors.toUnmodifiableSet());
    }
}
