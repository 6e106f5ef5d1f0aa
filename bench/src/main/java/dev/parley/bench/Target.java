package dev.parley.bench;

import java.net.URI;

/**
 * The server under test: which protocol it speaks, where, which process to watch, and the database's process
 * (PostgreSQL's postmaster, 0 for none or H2, which runs inside the server) whose work is the server's too.
 */
record Target(String server, URI ws, URI http, long pid, long databasePid) {

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
        return new Target(server, ws, http, options.number("server-pid", 0), options.number("db-pid", 0));
    }
}
