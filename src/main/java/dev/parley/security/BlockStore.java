package dev.parley.security;

import java.util.List;

/** Durable blocks between users. Every method is one transaction. */
public interface BlockStore {

    /** A user's block of another. */
    record Block(String blocker, String blocked) {
    }

    List<Block> all();

    /** @return whether it is new */
    boolean put(Block block);

    /** @return whether there was one */
    boolean remove(Block block);
}
