package dev.parley.security;

import java.util.List;

/** Durable blocks between users. Every method is one transaction. */
public interface BlockStore {

    /** A user's block of another. */
    record Block(String blocker, String blocked) {
    }

    /** What {@link #put} did. */
    enum Put { ADDED, ALREADY, FULL }

    List<Block> all();

    /** Adds the block unless it is there, or the blocker blocks {@code max} users already. */
    Put put(Block block, int max);

    /** @return whether there was one */
    boolean remove(Block block);
}
