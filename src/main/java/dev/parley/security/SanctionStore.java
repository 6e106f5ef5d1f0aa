package dev.parley.security;

import java.util.List;

/** Durable server-wide mutes and bans. Every method is one transaction. */
public interface SanctionStore {

    /** Every sanction stored, lapsed ones too. */
    List<Sanction> all();

    /** Stores the sanction, replacing the user's earlier one of the same kind. */
    void put(Sanction sanction);

    /** @return whether the user had a sanction of that kind */
    boolean remove(String user, Sanction.Kind kind);
}
