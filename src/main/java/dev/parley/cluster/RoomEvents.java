package dev.parley.cluster;

import dev.parley.protocol.Frames;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Room events as text for the data grid. Text, not Java serialization: the grid's threads deserialize with
 * the server's class loader, which does not see the application's classes.
 */
final class RoomEvents {

    private RoomEvents() {
    }

    static String encode(RoomEvent event) {
        JsonObjectBuilder json = Frames.json().createObjectBuilder().add("room", event.room());
        if (event instanceof RoomEvent.Posted posted) {
            json.add("kind", "posted").add("seq", posted.seq()).add("from", posted.from())
                    .add("json", posted.json()).add("senderJson", posted.senderJson())
                    .add("hideable", posted.hideable());
        } else if (event instanceof RoomEvent.Broadcast broadcast) {
            json.add("kind", "broadcast").add("json", broadcast.json());
            optional(json, "exceptUser", broadcast.exceptUser());
        } else if (event instanceof RoomEvent.Membership membership) {
            json.add("kind", "membership").add("user", membership.user()).add("joined", membership.joined())
                    .add("seq", membership.seq());
            optional(json, "notice", membership.notice());
            optional(json, "exceptConnection", membership.exceptConnection());
        }
        return json.build().toString();
    }

    static RoomEvent decode(String text) {
        JsonObject json = Frames.readObject(text);
        String room = json.getString("room");
        return switch (json.getString("kind")) {
            case "posted" -> new RoomEvent.Posted(room, json.getJsonNumber("seq").longValue(), json.getString("from"),
                    json.getString("json"), json.getString("senderJson"), json.getBoolean("hideable", true));
            case "broadcast" -> new RoomEvent.Broadcast(room, json.getString("json"),
                    json.getString("exceptUser", null));
            case "membership" -> new RoomEvent.Membership(room, json.getString("user"), json.getBoolean("joined"),
                    json.getJsonNumber("seq").longValue(), json.getString("notice", null),
                    json.getString("exceptConnection", null));
            default -> throw new IllegalArgumentException("not a room event: " + text);
        };
    }

    private static void optional(JsonObjectBuilder json, String name, String value) {
        if (value != null) {
            json.add(name, value);
        }
    }
}
