package dev.parley.cluster;

import dev.parley.protocol.Frames;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * An order for every node, the publishing one included, that is not about one room's connections: the
 * admin's kick and a user's new password, which must reach the user's connections wherever they are, a
 * moderation change (mute, ban, block), which every node reads again at once rather than at its next ten-second
 * re-read, and the admin's new runtime limits.
 */
public sealed interface NodeEvent {

    /** Close every connection of {@code user} with 4503. */
    record Kick(String user) implements NodeEvent {
    }

    /** Close with 4501 every connection of {@code user} whose token is of a generation before {@code generation}. */
    record SignedOut(String user, int generation) implements NodeEvent {
    }

    /** Mutes, bans or blocks changed in the database: read them again. */
    record ModerationChanged() implements NodeEvent {
    }

    /**
     * The runtime limits an admin changed, each as given (null: not changed). Only those: two admins changing
     * different limits at once on two nodes must not undo each other, as a copy of all four would.
     */
    record LimitsChanged(Integer framesPerSecond, Integer frameBurst, Integer maxFrameBytes, Integer maxTextChars)
            implements NodeEvent {
    }

    /** As text for the data grid, whose threads cannot load the application's classes. */
    static String encode(NodeEvent event) {
        JsonObjectBuilder json = Frames.json().createObjectBuilder();
        if (event instanceof Kick kick) {
            json.add("kind", "kick").add("user", kick.user());
        } else if (event instanceof SignedOut out) {
            json.add("kind", "signed-out").add("user", out.user()).add("generation", out.generation());
        } else if (event instanceof LimitsChanged limits) {
            json.add("kind", "limits");
            addGiven(json, "framesPerSecond", limits.framesPerSecond());
            addGiven(json, "frameBurst", limits.frameBurst());
            addGiven(json, "maxFrameBytes", limits.maxFrameBytes());
            addGiven(json, "maxTextChars", limits.maxTextChars());
        } else {
            json.add("kind", "moderation");
        }
        return json.build().toString();
    }

    static NodeEvent decode(String text) {
        JsonObject json = Frames.readObject(text);
        return switch (json.getString("kind")) {
            case "kick" -> new Kick(json.getString("user"));
            case "signed-out" -> new SignedOut(json.getString("user"), json.getInt("generation"));
            case "moderation" -> new ModerationChanged();
            case "limits" -> new LimitsChanged(given(json, "framesPerSecond"), given(json, "frameBurst"),
                    given(json, "maxFrameBytes"), given(json, "maxTextChars"));
            default -> throw new IllegalArgumentException("not a node event: " + text);
        };
    }

    private static void addGiven(JsonObjectBuilder json, String name, Integer value) {
        if (value != null) {
            json.add(name, value);
        }
    }

    private static Integer given(JsonObject json, String name) {
        return json.containsKey(name) ? json.getInt(name) : null;
    }
}
