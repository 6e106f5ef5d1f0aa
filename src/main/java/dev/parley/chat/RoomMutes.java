package dev.parley.chat;

import dev.parley.room.ModerationStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The room mutes in force, answered from memory like the server-wide ones: every send asks. Changes made
 * here are seen here at once; those made on another node arrive with {@link #reload} (when the bus says so, and every
 * {@code parley.moderation.reread.seconds}).
 */
final class RoomMutes {

    private final ModerationStore store;
    private final Clock clock;
    private volatile Map<String, ModerationStore.Mute> byRoomAndUser = Map.of();

    RoomMutes(ModerationStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Optional<ModerationStore.Mute> of(String room, String user) {
        return Optional.ofNullable(byRoomAndUser.get(key(room, user))).filter(m -> m.inForce(clock.instant()));
    }

    void mute(ModerationStore.Mute mute) {
        store.mute(mute);
        reload();
    }

    /** @return whether the user was muted there (a lapsed mute is removed, and answers no) */
    boolean unmute(String room, String user) {
        Optional<ModerationStore.Mute> removed = store.unmute(room, user);
        reload();
        return removed.filter(mute -> mute.inForce(clock.instant())).isPresent();
    }

    void reload() {
        List<ModerationStore.Mute> all = store.mutesInForce(clock.instant());
        byRoomAndUser = all.stream().collect(Collectors.toUnmodifiableMap(m -> key(m.room(), m.user()),
                Function.identity(), (a, b) -> b));
    }

    private static String key(String room, String user) {
        return room + "\u0000" + user;
    }
}
