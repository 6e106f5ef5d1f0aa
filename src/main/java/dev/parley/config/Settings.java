package dev.parley.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every setting Parley reads, with its default. Each key can also be given as a system property or an
 * environment variable ({@code parley.heartbeat.seconds} = {@code PARLEY_HEARTBEAT_SECONDS}).
 * README.md's configuration table lists them.
 */
@ApplicationScoped
public class Settings {

    /** The longest a message is kept, and the oldest the admin API's purge takes: a hundred years. */
    public static final int MAX_RETENTION_DAYS = 100 * 366;
    /** A slow reader's queue holds at least one frame of the longest text, escaped (6 characters each at most). */
    static final long MIN_QUEUE_CHARS = 64 * 1024;
    static final long MAX_QUEUE_CHARS = 1L << 30;
    static final int MAX_CONNECTIONS_PER_USER = 1000;
    static final int MAX_RESENDS = 1000;
    /**
     * The most characters one room takes in {@code welcome} (its longest name, seq, epoch, counts, peer and flag,
     * and its longest topic, whose characters take two each at most: a quote escaped, or one past 16 bits in UTF-16;
     * control characters are refused): a welcome lists every room of the user and must fit the outbound queue.
     */
    static final int WELCOME_CHARS_PER_ROOM = 256 + 2 * Limits.MAX_TOPIC_CHARS + 32;
    /**
     * The most characters a welcome takes besides its rooms, and then some: the client's ref (64 characters, six
     * each when escaped), the user's name, the connection's id, the heartbeat and the edit window.
     */
    static final int WELCOME_CHARS_BESIDES_ROOMS = 1024;
    static final int MAX_ROOMS_PER_USER = 10_000;
    private static final int HOUR_SECONDS = 3600;
    private static final int DAY_SECONDS = 24 * HOUR_SECONDS;

    @Inject
    @ConfigProperty(name = "parley.data.dir", defaultValue = "./data")
    String dataDir;

    @Inject
    @ConfigProperty(name = "parley.heartbeat.seconds", defaultValue = "25")
    int heartbeatSeconds;

    @Inject
    @ConfigProperty(name = "parley.hello.timeout.seconds", defaultValue = "10")
    int helloTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "parley.frame.max.bytes", defaultValue = "65536")
    int maxFrameBytes;

    @Inject
    @ConfigProperty(name = "parley.text.max.chars", defaultValue = "4000")
    int maxTextChars;

    @Inject
    @ConfigProperty(name = "parley.outbound.queue.chars", defaultValue = "4194304")
    long outboundQueueChars;

    @Inject
    @ConfigProperty(name = "parley.rate.frames.per.second", defaultValue = "20")
    int framesPerSecond;

    @Inject
    @ConfigProperty(name = "parley.rate.burst", defaultValue = "40")
    int frameBurst;

    @Inject
    @ConfigProperty(name = "parley.connections.per.user", defaultValue = "10")
    int connectionsPerUser;

    @Inject
    @ConfigProperty(name = "parley.resend.seconds", defaultValue = "10")
    int resendSeconds;

    @Inject
    @ConfigProperty(name = "parley.resend.max", defaultValue = "6")
    int maxResends;

    @Inject
    @ConfigProperty(name = "parley.connections.per.address.per.minute", defaultValue = "300")
    int connectionsPerAddressPerMinute;

    @Inject
    @ConfigProperty(name = "parley.rooms.per.user", defaultValue = "1000")
    int roomsPerUser;

    @Inject
    @ConfigProperty(name = "parley.room.passwords.per.address.per.minute", defaultValue = "10")
    int roomPasswordsPerAddressPerMinute;

    @Inject
    @ConfigProperty(name = "parley.logins.per.address.per.minute", defaultValue = "30")
    int loginsPerAddressPerMinute;

    @Inject
    @ConfigProperty(name = "parley.new.rooms.per.address.per.minute", defaultValue = "30")
    int newRoomsPerAddressPerMinute;

    @Inject
    @ConfigProperty(name = "parley.guests.enabled", defaultValue = "true")
    boolean guestsEnabled;

    @Inject
    @ConfigProperty(name = "parley.guests.per.address.per.minute", defaultValue = "30")
    int guestsPerAddressPerMinute;

    @Inject
    @ConfigProperty(name = "parley.origins")
    Optional<String> origins;

    @Inject
    @ConfigProperty(name = "parley.token.key")
    Optional<String> tokenKey;

    /** Read only to create the first admin; MicroProfile Config also takes it as PARLEY_ADMIN_PASSWORD. */
    @Inject
    @ConfigProperty(name = "parley.admin.password")
    Optional<String> adminPassword;

    @Inject
    @ConfigProperty(name = "parley.admin.user", defaultValue = "admin")
    String adminUser;

    @Inject
    @ConfigProperty(name = "parley.token.ttl.minutes", defaultValue = "720")
    long tokenTtlMinutes;

    @Inject
    @ConfigProperty(name = "parley.edit.window.minutes", defaultValue = "15")
    long editWindowMinutes;

    @Inject
    @ConfigProperty(name = "parley.moderation.reread.seconds", defaultValue = "10")
    long moderationRereadSeconds;

    @Inject
    @ConfigProperty(name = "parley.retention.days", defaultValue = "0")
    int retentionDays;

    @Inject
    @ConfigProperty(name = "parley.retention.check.seconds", defaultValue = "3600")
    long retentionCheckSeconds;

    /**
     * Checks every number configured: a value out of its range stops the deployment, naming the key, rather than
     * fail later or quietly do something else (a text longer than the message column holds, a rate of 0 that
     * refuses every frame, a retention the purge refuses every hour, a reread of 0 that the timer service refuses
     * without naming the key). README.md's configuration table gives the same ranges.
     */
    @PostConstruct
    void requireValid() {
        Limits.requireWithin("parley.heartbeat.seconds", heartbeatSeconds, 1, HOUR_SECONDS);
        Limits.requireWithin("parley.hello.timeout.seconds", helloTimeoutSeconds, 1, HOUR_SECONDS);
        Limits.requireWithin("parley.frame.max.bytes", maxFrameBytes, Limits.MIN_FRAME_BYTES, Limits.MAX_FRAME_BYTES);
        Limits.requireWithin("parley.text.max.chars", maxTextChars, 1, Limits.MAX_TEXT_CHARS);
        Limits.requireWithin("parley.outbound.queue.chars", outboundQueueChars, MIN_QUEUE_CHARS, MAX_QUEUE_CHARS);
        Limits.requireWithin("parley.rate.frames.per.second", framesPerSecond, 1, Limits.MAX_RATE);
        Limits.requireWithin("parley.rate.burst", frameBurst, 1, Limits.MAX_RATE);
        Limits.requireWithin("parley.connections.per.user", connectionsPerUser, 1, MAX_CONNECTIONS_PER_USER);
        Limits.requireWithin("parley.resend.seconds", resendSeconds, 1, HOUR_SECONDS);
        Limits.requireWithin("parley.resend.max", maxResends, 1, MAX_RESENDS);
        Limits.requireWithin("parley.connections.per.address.per.minute", connectionsPerAddressPerMinute, 1,
                Limits.MAX_RATE);
        Limits.requireWithin("parley.rooms.per.user", roomsPerUser, 1, MAX_ROOMS_PER_USER);
        if ((long) roomsPerUser * WELCOME_CHARS_PER_ROOM + WELCOME_CHARS_BESIDES_ROOMS > outboundQueueChars) {
            throw new IllegalArgumentException("parley.rooms.per.user is " + roomsPerUser + ": the welcome of a user "
                    + "in that many rooms (" + WELCOME_CHARS_PER_ROOM + " characters a room and "
                    + WELCOME_CHARS_BESIDES_ROOMS + " besides) would not fit parley.outbound.queue.chars ("
                    + outboundQueueChars + ")");
        }
        Limits.requireWithin("parley.room.passwords.per.address.per.minute", roomPasswordsPerAddressPerMinute, 1,
                Limits.MAX_RATE);
        Limits.requireWithin("parley.logins.per.address.per.minute", loginsPerAddressPerMinute, 1, Limits.MAX_RATE);
        Limits.requireWithin("parley.guests.per.address.per.minute", guestsPerAddressPerMinute, 1, Limits.MAX_RATE);
        Limits.requireWithin("parley.new.rooms.per.address.per.minute", newRoomsPerAddressPerMinute, 1,
                Limits.MAX_RATE);
        Limits.requireWithin("parley.token.ttl.minutes", tokenTtlMinutes, 1, Limits.YEAR_MINUTES);
        Limits.requireWithin("parley.edit.window.minutes", editWindowMinutes, 1, Limits.YEAR_MINUTES);
        Limits.requireWithin("parley.moderation.reread.seconds", moderationRereadSeconds, 1, DAY_SECONDS);
        Limits.requireWithin("parley.retention.days", retentionDays, 0, MAX_RETENTION_DAYS);
        Limits.requireWithin("parley.retention.check.seconds", retentionCheckSeconds, 1, DAY_SECONDS);
    }

    /** The limits configured (checked with the rest when the settings are made). */
    @Produces
    public Limits limits() {
        Limits d = Limits.DEFAULTS;
        return new Limits(heartbeatSeconds, Duration.ofSeconds(helloTimeoutSeconds), maxFrameBytes, maxTextChars,
                outboundQueueChars, d.pageDefault(), d.pageMax(), framesPerSecond, frameBurst, connectionsPerUser,
                Duration.ofSeconds(resendSeconds), maxResends, Duration.ofMinutes(editWindowMinutes));
    }

    /**
     * How often each node reads the mutes, bans and blocks again besides when the bus says they changed: the
     * most a change waits on a node that missed that word.
     */
    public Duration moderationReread() {
        return Duration.ofSeconds(moderationRereadSeconds);
    }

    /** New WebSocket connections one client address may open per minute; more get HTTP 429. */
    public int connectionsPerAddressPerMinute() {
        return connectionsPerAddressPerMinute;
    }

    /** How many rooms one user may be a member of: joining, a direct conversation or an invite past it is refused. */
    public int roomsPerUser() {
        return roomsPerUser;
    }

    /** Checks of one room's password that one client address may ask for per minute; more get rate_limited. */
    public int roomPasswordsPerAddressPerMinute() {
        return roomPasswordsPerAddressPerMinute;
    }

    /** Logins, registrations and new passwords that one client address may try per minute; more get HTTP 429. */
    public int loginsPerAddressPerMinute() {
        return loginsPerAddressPerMinute;
    }

    public int guestsPerAddressPerMinute() {
        return guestsPerAddressPerMinute;
    }

    public int newRoomsPerAddressPerMinute() {
        return newRoomsPerAddressPerMinute;
    }

    /** Whether {@code POST /api/auth/guest} hands out tokens (403 when not). */
    public boolean guestsEnabled() {
        return guestsEnabled;
    }

    public Path dataDir() {
        return Path.of(dataDir);
    }

    /** Origins allowed besides the server's own, from the comma-separated {@code parley.origins}. */
    public List<String> allowedOrigins() {
        return origins.map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList())
                .orElse(List.of());
    }

    /** The first admin's password; without it no admin account is made. */
    public Optional<String> adminPassword() {
        return adminPassword;
    }

    public String adminUser() {
        return adminUser;
    }

    /** A base64 HMAC key given by the operator, for nodes that must share one. */
    public Optional<String> tokenKey() {
        return tokenKey.filter(k -> !k.isBlank());
    }

    public Duration tokenTtl() {
        return Duration.ofMinutes(tokenTtlMinutes);
    }

    /** How many days messages are kept; empty (0, the default) keeps them forever. */
    public OptionalInt retentionDays() {
        return retentionDays > 0 ? OptionalInt.of(retentionDays) : OptionalInt.empty();
    }

    /** How often the retention runs (hourly by default), when there is one. */
    public Duration retentionCheck() {
        return Duration.ofSeconds(retentionCheckSeconds);
    }
}
