package dev.parley.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The server-wide mutes and bans in force, answered from memory: every send asks, and a database query per
 * send would cost more than the send. Changes made here are seen here at once; changes made on another node
 * arrive with {@link #reload}, which the application runs every few seconds.
 */
public final class Sanctions {

    private final SanctionStore store;
    private final Clock clock;
    private volatile Map<String, Sanction> mutes = Map.of();
    private volatile Map<String, Sanction> bans = Map.of();

    public Sanctions(SanctionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The user's mute or ban of that kind, if one is in force now. */
    public Optional<Sanction> of(String user, Sanction.Kind kind) {
        Sanction sanction = (kind == Sanction.Kind.MUTE ? mutes : bans).get(user);
        return Optional.ofNullable(sanction).filter(s -> s.inForce(clock.instant()));
    }

    /**
     * Mutes or bans the user, replacing an earlier sanction of that kind.
     *
     * @param duration null for "until lifted"
     */
    public Sanction impose(String user, Sanction.Kind kind, Duration duration, String by) {
        Instant now = clock.instant();
        Sanction sanction = new Sanction(user, kind, duration == null ? null : now.plus(duration), by, now);
        store.put(sanction);
        reload();
        return sanction;
    }

    /**
     * @return whether there was one in force to lift (a lapsed one, still stored, is removed too: it was
     *         not listed, and lifting it is no lift)
     */
    public boolean lift(String user, Sanction.Kind kind) {
        Optional<Sanction> removed = store.remove(user, kind);
        reload();
        return removed.filter(s -> s.inForce(clock.instant())).isPresent();
    }

    /** The sanctions in force, by user. */
    public List<Sanction> inForce() {
        Instant now = clock.instant();
        return Stream.concat(mutes.values().stream(), bans.values().stream())
                .filter(s -> s.inForce(now))
                .sorted(Comparator.comparing(Sanction::user).thenComparing(Sanction::kind))
                .toList();
    }

    /** Reads the store again: picks up what other nodes imposed or lifted. */
    public void reload() {
        List<Sanction> all = store.all();
        mutes = byUser(all, Sanction.Kind.MUTE);
        bans = byUser(all, Sanction.Kind.BAN);
    }

    private static Map<String, Sanction> byUser(List<Sanction> all, Sanction.Kind kind) {
        return all.stream().filter(s -> s.kind() == kind)
                .collect(Collectors.toUnmodifiableMap(Sanction::user, Function.identity()));
    }
}
