package dev.parley.cluster;

import java.time.Instant;

/** A signed-in WebSocket connection as the admins see it, on whichever node it is. */
public record ConnectionInfo(String id, String user, String node, String address, Instant since) {
}
