package dev.parley.transport;

import dev.parley.chat.ChatService;
import dev.parley.protocol.BadFrameException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ClientFrameDecoder;
import dev.parley.room.Connection;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DecodeException;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code /ws}: turns frames into {@link ChatService} calls and nothing else. */
@ServerEndpoint(value = "/ws", subprotocols = HandshakeConfigurator.SUBPROTOCOL,
        configurator = HandshakeConfigurator.class, decoders = ClientFrameDecoder.class)
public class ChatEndpoint {

    private static final Logger LOG = Logger.getLogger(ChatEndpoint.class.getName());

    /** Where the endpoint finds the chat when Tyrus runs standalone (tests), which injects nothing. */
    static volatile ChatService standalone;

    @Inject
    ChatService chat;

    private Connection connection;

    @OnOpen
    public void open(Session session) {
        int maxFrame = chat().limits().maxFrameBytes();
        session.setMaxTextMessageBufferSize(maxFrame);
        // The heartbeat sweep decides when a quiet connection is dead, with the contract's close code.
        session.setMaxIdleTimeout(0);
        connection = chat().open(session.getId(), HandshakeConfigurator.remoteAddress(session),
                new OutboundQueue(session, chat().limits().outboundQueueChars()));
    }

    @OnMessage
    public void frame(ClientFrame frame) {
        chat().handle(connection, frame);
    }

    @OnError
    public void error(Session session, Throwable error) {
        if (error instanceof BadFrameException bad) {
            chat().rejected(connection, bad);
        } else if (error instanceof DecodeException bad) {
            chat().rejected(connection, new BadFrameException(bad.getText(), null, bad.getMessage()));
        } else if (!(error instanceof IOException)) {
            LOG.log(Level.WARNING, "error on " + connection, error);
        }
    }

    @OnClose
    public void closed(CloseReason reason) {
        if (connection != null) {
            chat().closed(connection);
            LOG.fine(() -> "closed " + connection + ": " + reason.getCloseCode().getCode());
        }
    }

    private ChatService chat() {
        return chat != null ? chat : standalone;
    }
}
