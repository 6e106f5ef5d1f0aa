package dev.parley.testing;

import dev.parley.security.Sanction;
import dev.parley.security.SanctionStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Server-wide mutes and bans in memory, one per user and kind as in the table. */
public final class InMemorySanctionStore implements SanctionStore {

    private final Map<String, Sanction> byUserAndKind = new ConcurrentHashMap<>();

    @Override
    public List<Sanction> all() {
        return List.copyOf(byUserAndKind.values());
    }

    @Override
    public void put(Sanction sanction) {
        byUserAndKind.put(sanction.user() + "\u0000" + sanction.kind(), sanction);
    }

    @Override
    public Optional<Sanction> remove(String user, Sanction.Kind kind) {
        return Optional.ofNullable(byUserAndKind.remove(user + "\u0000" + kind));
    }
}
