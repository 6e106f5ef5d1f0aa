package dev.parley.admin;

import dev.parley.chat.ChatService;
import dev.parley.cluster.ClusterBus;
import dev.parley.cluster.RoomEvent;
import dev.parley.config.Limits;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Frames;
import dev.parley.room.Connection;
import dev.parley.room.LiveRooms;
import dev.parley.room.RoomStore;
import dev.parley.security.UserNames;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.logging.Logger;

/**
 * The operations an operator runs, in plain Java: the REST API (and later JMX) only translate to these.
 * Every change is logged with who made it.
 */
public final class AdminService {

    private static final Logger AUDIT = Logger.getLogger("dev.parley.audit");
    /** The sender of notices; no account or guest can have this name. */
    public static final String SYSTEM = UserNames.SYSTEM;

    private final RoomStore rooms;
    private final MessageStore messages;
    private final LiveRooms live;
    private final ClusterBus bus;
    private final ChatService chat;

    public AdminService(RoomStore rooms, MessageStore messages, LiveRooms live, ClusterBus bus, ChatService chat) {
        this.rooms = rooms;
        this.messages = messages;
        this.live = live;
        this.bus = bus;
        this.chat = chat;
    }

    /**
     * The largest values an operator may set. The message column holds 16,000 UTF-16 units, and a character
     * takes at most two.
     */
    static final int MAX_TEXT_CHARS = 8_000;
    static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    /** A room with its latest seq (its message count, while nothing is deleted) and who is online here. */
    public record RoomInfo(String room, long seq, String owner, String access, long members, int online) {
    }

    public record ConnectionInfo(String id, String user, String address, Instant since) {
    }

    public List<RoomInfo> rooms() {
        return rooms.all().stream().map(r -> new RoomInfo(r.name(), r.seq(), r.owner(), r.access().wire(),
                r.members(), live.onlineCount(r.name()))).toList();
    }

    /** The authenticated connections of this node. */
    public List<ConnectionInfo> connections() {
        return live.connections().stream().filter(Connection::isAuthenticated)
                .map(c -> new ConnectionInfo(c.id(), c.user(), c.address(), Instant.ofEpochMilli(c.openedAt())))
                .toList();
    }

    /** Closes every connection of the user on this node with 4503; the client must not reconnect by itself. */
    public int kick(String user, String by) {
        Collection<Connection> theirs = live.connectionsOf(user);
        theirs.forEach(connection -> live.drop(connection, CloseCodes.KICKED, "kicked by an administrator"));
        AUDIT.info(() -> by + " kicked " + user + " off the server (" + theirs.size() + " connections)");
        return theirs.size();
    }

    public Limits limits() {
        return chat.limits();
    }

    /**
     * Changes the limits an operator may change at runtime (null keeps a value). Each must be positive; the
     * text limit at most 8,000 characters and the frame at least 1 KiB and at most 16 MiB.
     */
    public Limits changeLimits(Integer framesPerSecond, Integer frameBurst, Integer maxFrameBytes,
                               Integer maxTextChars, String by) {
        requireWithin("framesPerSecond", framesPerSecond, 1, 10_000);
        requireWithin("frameBurst", frameBurst, 1, 10_000);
        requireWithin("maxFrameBytes", maxFrameBytes, 1024, MAX_FRAME_BYTES);
        requireWithin("maxTextChars", maxTextChars, 1, MAX_TEXT_CHARS);
        Limits changed = chat.limits().with(framesPerSecond, frameBurst, maxFrameBytes, maxTextChars);
        chat.changeLimits(changed);
        AUDIT.info(() -> by + " changed the limits to " + changed);
        return changed;
    }

    private static void requireWithin(String name, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, name + " must be " + min + " to " + max);
        }
    }

    /** A system message in the room, stored and delivered like any other, with its own seq. */
    public StoredMessage notice(String room, String text, String by) {
        int maxTextChars = chat.limits().maxTextChars();
        if (text == null || text.isBlank() || text.codePointCount(0, text.length()) > maxTextChars) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "a notice is 1 to " + maxTextChars + " characters");
        }
        StoredMessage stored = messages.append(new MessageStore.NewMessage(room, SYSTEM, text, StoredMessage.SYSTEM,
                null, null)).message();
        String json = Frames.encode(stored.frameFor(SYSTEM));
        bus.publish(new RoomEvent.Posted(room, stored.seq(), SYSTEM, json, json));
        AUDIT.info(() -> by + " posted a notice to " + room + " (seq " + stored.seq() + ")");
        return stored;
    }
}
