package dev.parley.chat;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Connection;
import java.util.logging.Level;
import java.util.logging.Logger;

/** How a request that failed is answered: a refusal says why; anything else is the server's fault. */
final class Refusals {

    private static final Logger LOG = Logger.getLogger(Refusals.class.getName());

    private Refusals() {
    }

    /** A refusal says why; anything else is logged, and the client may try again. */
    static void answer(Connection connection, String ref, RuntimeException e) {
        if (e instanceof ChatException refused) {
            connection.send(ServerFrame.Error.of(refused.code(), refused.getMessage(), ref));
        } else {
            LOG.log(Level.WARNING, "failed to handle a frame of " + connection, e);
            connection.send(ServerFrame.Error.of(ErrorCode.INTERNAL, "the server failed; try again", ref));
        }
    }
}
