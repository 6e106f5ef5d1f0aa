package dev.parley.bench;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A chatter speaking Socket.IO 4 (Engine.IO 4 over a WebSocket only) to bench/socketio/server.js, which has the
 * same semantics as Parley for what the scenarios use: join, send with a receipt (the event's ack) carrying the
 * room's seq, message to every member, ack.
 */
final class SocketIoChatter extends Chatter {

    private final URI ws;
    private final AtomicLong ackIds = new AtomicLong();

    SocketIoChatter(String user, Events events, URI server) {
        super(user, events);
        this.ws = server.resolve("/socket.io/?EIO=4&transport=websocket");
    }

    @Override
    CompletableFuture<Void> connect(Loops loops) {
        return Link.open(loops, ws, null, this)
                .thenAccept(opened -> link = opened)
                .whenComplete(this::failedIf)
                .thenCompose(ok -> greeted);
    }

    @Override
    void send(String room, String clientMsgId, String text) {
        emit("send", "{\"room\":" + Json.quote(room) + ",\"clientMsgId\":" + Json.quote(clientMsgId) + ",\"text\":"
                + Json.quote(text) + "}", true);
    }

    @Override
    void sync(String room, long after, int limit) {
        throw new UnsupportedOperationException("the Socket.IO server keeps no history");
    }

    @Override
    void history(String room, long before, int limit) {
        throw new UnsupportedOperationException("the Socket.IO server keeps no history");
    }

    @Override
    protected void requestJoin(String room) {
        emit("join", Json.quote(room), true);
    }

    @Override
    protected void sendAck(String room, long seq) {
        emit("ack", "{\"room\":" + Json.quote(room) + ",\"seq\":" + seq + "}", false);
    }

    /** {@code 42[event,data]}, with an ack id after the 42 when the server is to answer. */
    private void emit(String event, String data, boolean answered) {
        String ackId = answered ? Long.toString(ackIds.incrementAndGet()) : "";
        link.send("42" + ackId + "[\"" + event + "\"," + data + "]");
    }

    @Override
    public void text(String packet) {
        if (packet.startsWith("42[\"message\",")) {
            delivered(Json.string(packet, "room"), Json.number(packet, "seq", -1), Json.string(packet, "text"));
        } else if (packet.startsWith("43")) {
            // The answer to an emit: a receipt carries the clientMsgId, a join's answer only the room.
            String clientMsgId = Json.string(packet, "clientMsgId");
            if (clientMsgId != null) {
                events.receipt(this, clientMsgId, Json.number(packet, "seq", -1));
            } else {
                joined(Json.string(packet, "room"));
            }
        } else if (packet.equals("2")) {
            link.send("3"); // Engine.IO's heartbeat: the server pings, the client answers
        } else if (packet.startsWith("0{")) {
            link.send("40{\"user\":" + Json.quote(user) + "}");
        } else if (packet.startsWith("40")) {
            startAcking(link);
            greeted.complete(null);
        } else if (packet.startsWith("44")) {
            failed(new IllegalStateException("connect refused: " + packet));
        }
    }
}
