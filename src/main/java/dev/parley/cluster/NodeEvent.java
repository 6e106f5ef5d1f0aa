package dev.parley.cluster;

import dev.parley.protocol.Frames;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.List;

/**
 * An order for every node, the publishing one included, that is not about one room's connections: the
 * admin's kick and a user's new password, which must reach the user's connections wherever they are, a
 * moderation change (mute, ban, block) or a change of the runtime limits, which every node reads again at once
 * rather than at its next ten-second re-read, and read markers written, which the users' other connections are
 * told of.
 */
public sealed interface NodeEvent {

    /** Close every connection of {@code user} with 4503. */
    record Kick(String user) implements NodeEvent {
    }

    /**
     * Close with 4501 every connection of {@code user} whose token is of a generation before {@code generation}:
     * a new password, or the account {@code deleted} by its user.
     */
    record SignedOut(String user, int generation, boolean deleted) implements NodeEvent {
    }

    /** Mutes, bans or blocks changed in the database: read them again. */
    record ModerationChanged() implements NodeEvent {
    }

    /**
     * The runtime limits an admin changed or reset are stored: read them again. Not the limits themselves: two
     * admins changing one limit at once on two nodes would leave each node with the value that came last to it.
     */
    record LimitsChanged() implements NodeEvent {
    }

    /** Read markers just written: each user's connections other than the one that read are told. */
    record ReadUpTo(List<Reading> readings) implements NodeEvent {
    }

    /** {@code user} read {@code room} up to {@code seq} on connection {@code by}. */
    record Reading(String user, String room, long seq, String by) {
    }

    /** As text for the data grid, whose threads cannot load the application's classes. */
    static String encode(NodeEvent event) {
        JsonObjectBuilder json = Frames.json().createObjectBuilder();
        if (event instanceof Kick kick) {
            json.add("kind", "kick").add("user", kick.user());
        } else if (event instanceof SignedOut out) {
            json.add("kind", "signed-out").add("user", out.user()).add("generation", out.generation())
                    .add("deleted", out.deleted());
        } else if (event instanceof LimitsChanged) {
            json.add("kind", "limits");
        } else if (event instanceof ReadUpTo read) {
            JsonArrayBuilder readings = Frames.json().createArrayBuilder();
            read.readings().forEach(r -> readings.add(Frames.json().createObjectBuilder().add("user", r.user())
                    .add("room", r.room()).add("seq", r.seq()).add("by", r.by())));
            json.add("kind", "read").add("readings", readings);
        } else {
            json.add("kind", "moderation");
        }
        return json.build().toString();
    }

    static NodeEvent decode(String text) {
        JsonObject json = Frames.readObject(text);
        return switch (json.getString("kind")) {
            case "kick" -> new Kick(json.getString("user"));
            case "signed-out" -> new SignedOut(json.getString("user"), json.getInt("generation"),
                    json.getBoolean("deleted", false));
            case "moderation" -> new ModerationChanged();
            case "limits" -> new LimitsChanged();
            case "read" -> new ReadUpTo(json.getJsonArray("readings").getValuesAs(JsonObject.class).stream()
                    .map(r -> new Reading(r.getString("user"), r.getString("room"), r.getJsonNumber("seq").longValue(),
                            r.getString("by"))).toList());
            default -> throw new IllegalArgumentException("not a node event: " + text);
        };
    }
}
