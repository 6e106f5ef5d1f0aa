package dev.parley.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A chatter speaking Parley's protocol (../shared/protocol.md): a guest token over HTTP, then hello. */
final class ParleyChatter extends Chatter {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final URI ws;
    private final URI http;

    ParleyChatter(String user, Events events, URI ws, URI http) {
        super(user, events);
        this.ws = ws;
        this.http = http;
    }

    @Override
    CompletableFuture<Void> connect(Loops loops) {
        HttpRequest guest = HttpRequest.newBuilder(URI.create(http + "/api/auth/guest"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"nickname\":" + Json.quote(user) + "}"))
                .build();
        return HTTP.sendAsync(guest, HttpResponse.BodyHandlers.ofString())
                .thenCompose(response -> {
                    String token = Json.string(response.body(), "token");
                    if (response.statusCode() != 200 || token == null) {
                        throw new IllegalStateException("guest sign-in: " + response.statusCode() + " "
                                + response.body());
                    }
                    return Link.open(loops, ws, "parley.v1", this).thenAccept(opened -> {
                        link = opened;
                        opened.send("{\"type\":\"hello\",\"token\":" + Json.quote(token) + "}");
                    });
                })
                .whenComplete(this::failedIf)
                .thenCompose(ok -> greeted);
    }

    @Override
    void send(String room, String clientMsgId, String text) {
        // The ref comes back on an error frame, which tells which message was refused.
        link.send("{\"type\":\"send\",\"ref\":" + Json.quote(clientMsgId) + ",\"room\":" + Json.quote(room)
                + ",\"clientMsgId\":" + Json.quote(clientMsgId) + ",\"text\":" + Json.quote(text) + "}");
    }

    @Override
    void sync(String room, long after, int limit) {
        link.send("{\"type\":\"sync\",\"room\":" + Json.quote(room) + ",\"after\":" + after + ",\"limit\":" + limit
                + "}");
    }

    @Override
    void history(String room, long before, int limit) {
        link.send("{\"type\":\"history\",\"room\":" + Json.quote(room) + ",\"before\":" + before + ",\"limit\":"
                + limit + "}");
    }

    @Override
    protected void requestJoin(String room) {
        link.send("{\"type\":\"join\",\"room\":" + Json.quote(room) + "}");
    }

    @Override
    protected void sendAck(String room, long seq) {
        link.send("{\"type\":\"ack\",\"room\":" + Json.quote(room) + ",\"seq\":" + seq + "}");
    }

    @Override
    public void text(String frame) {
        String type = Json.string(frame, "type");
        if (type == null) {
            return;
        }
        switch (type) {
            case "message" -> delivered(Json.string(frame, "room"), Json.number(frame, "seq", -1),
                    Json.string(frame, "text"));
            case "receipt" -> events.receipt(this, Json.string(frame, "clientMsgId"), Json.number(frame, "seq", -1));
            case "welcome" -> welcomed(frame);
            case "joined" -> joined(Json.string(frame, "room"));
            case "synced" -> events.synced(this, Json.string(frame, "room"), Json.number(frame, "seq", -1),
                    Json.flag(frame, "more"));
            case "messages" -> page(frame);
            case "error" -> events.error(this, frame);
            default -> {
                // presence, typing, pong, members: nothing a scenario measures
            }
        }
    }

    private void welcomed(String frame) {
        long heartbeat = Json.number(frame, "heartbeat", 25);
        link.every(heartbeat, TimeUnit.SECONDS, () -> link.send("{\"type\":\"ping\"}"));
        startAcking(link);
        greeted.complete(null);
    }

    /** The items carry the only {@code "seq":} keys of a {@code messages} frame. */
    private void page(String frame) {
        int count = 0;
        long first = -1;
        long last = -1;
        for (int at = frame.indexOf("\"seq\":"); at >= 0; at = frame.indexOf("\"seq\":", at + 6)) {
            count++;
            last = Json.number(frame, "seq", at, last);
            first = count == 1 ? last : first;
        }
        // "more" of the frame itself comes after the items.
        boolean more = frame.lastIndexOf("\"more\":true") > frame.lastIndexOf("\"seq\":");
        events.page(this, Json.string(frame, "room"), count, first, last, more);
    }
}
