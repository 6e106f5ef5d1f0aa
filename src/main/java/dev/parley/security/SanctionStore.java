package dev.parley.security;

import java.util.List;
import java.util.Optional;

/** Durable server-wide mutes and bans. Every method is one transaction. */
public interface SanctionStore {

    /** Every sanction stored, lapsed ones too. */
    List<Sanction> all();

    /** Stores the sanction, replacing the user's earlier one of the same kind. */
    void put(Sanction sanction);

    /** @return the user's sanction of that kind that was removed, in force or lapsed */
    Optional<Sanction> remove(String user, Sanction.Kind kind);
}
