package dev.parley.bench;

import java.net.URI;

/** The server under test: which protocol it speaks, where, and which process to watch. */
record Target(String server, URI ws, URI http, long pid) {

    Chatter chatter(String user, Chatter.Events events) {
        return switch (server) {
            case "parley" -> new ParleyChatter(user, events, ws, http);
            case "socketio" -> new SocketIoChatter(user, events, http);
            default -> throw new IllegalArgumentException("--server is parley or socketio, not " + server);
        };
    }

    static Target of(Options options) {
        String server = options.text("server", "parley");
        URI http = URI.create(options.text("http", "http://127.0.0.1:8080"));
        URI ws = server.equals("parley")
                ? URI.create(options.text("ws", http.toString().replaceFirst("^http", "ws") + "/ws")) : null;
        return new Target(server, ws, http, options.number("server-pid", 0));
    }
}
