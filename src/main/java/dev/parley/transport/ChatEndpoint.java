package dev.parley.transport;

import dev.parley.chat.ChatService;
import dev.parley.protocol.BadFrameException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ClientFrameDecoder;
import dev.parley.protocol.CloseCodes;
import dev.parley.room.Connection;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /ws}: turns frames into {@link ChatService} calls and nothing else. It takes text and runs the
 * decoder itself because the frame limit is configured at run time and must be checked before decoding:
 * {@code @OnMessage(maxMessageSize)} only takes a constant, and Tyrus applies the session's buffer size to
 * fragmented messages only.
 */
@ServerEndpoint(value = "/ws", subprotocols = HandshakeConfigurator.SUBPROTOCOL,
        configurator = HandshakeConfigurator.class)
public class ChatEndpoint {

    private static final Logger LOG = Logger.getLogger(ChatEndpoint.class.getName());

    /** Where the endpoint finds the chat when Tyrus runs standalone (tests), which injects nothing. */
    static volatile ChatService standalone;

    @Inject
    ChatService chat;

    @Inject
    WriterLanes lanes;

    private final ClientFrameDecoder decoder = new ClientFrameDecoder();
    private Connection connection;
    private int maxFrameBytes;

    @OnOpen
    public void open(Session session) {
        maxFrameBytes = chat().limits().maxFrameBytes();
        session.setMaxTextMessageBufferSize(maxFrameBytes);
        // Binary frames are refused whole, but the runtime gathers a fragmented one first: Payara's Tyrus up to
        // 2 GiB by default, before any hello or rate limit. Past the frame limit: closed with 1009, like text.
        session.setMaxBinaryMessageBufferSize(maxFrameBytes);
        // First, so that the next line's rescheduling of the idle timer already goes to the plain scheduler.
        TyrusIdleTimer.usePlainScheduler(session);
        // The heartbeat sweep decides when a quiet connection is dead, with the contract's close code.
        session.setMaxIdleTimeout(0);
        connection = chat().open(session.getId(), HandshakeConfigurator.remoteAddress(session),
                new OutboundQueue(session, chat().limits().outboundQueueChars(), lane()));
    }

    @OnMessage
    public void frame(String text) {
        if (text.length() > maxFrameBytes / 3 && text.getBytes(StandardCharsets.UTF_8).length > maxFrameBytes) {
            connection.close(CloseCodes.TOO_BIG, "frame larger than " + maxFrameBytes + " bytes");
            return;
        }
        ClientFrame frame;
        try {
            frame = decoder.decode(text);
        } catch (BadFrameException bad) {
            chat().rejected(connection, bad);
            return;
        }
        chat().handle(connection, frame);
    }

    /** The contract's frames are JSON text: a binary one is answered as a bad frame, and counts against the rate. */
    @OnMessage
    public void binary(ByteBuffer bytes) {
        chat().rejected(connection, new BadFrameException("", null, "frames are JSON text, not binary"));
    }

    /**
     * A broken socket is routine. A session the runtime has closed already was closed for what the client sent
     * (a frame past the buffer Tyrus was given, 1009): the client's doing, one line. The rest is the server's.
     * (Payara's Tyrus reports the first kind to an instance of this class whose connection is not set, so the
     * session names the connection: its id is the connection's.)
     */
    @OnError
    public void error(Session session, Throwable error) {
        if (error instanceof IOException) {
            return;
        }
        if (!session.isOpen()) {
            LOG.info(() -> "connection " + session.getId() + " was closed for what it sent: " + error);
        } else {
            LOG.log(Level.WARNING, "error on " + connection, error);
        }
    }

    @OnClose
    public void closed(CloseReason reason) {
        if (connection != null) {
            chat().closed(connection, reason.getCloseCode().getCode());
            LOG.info(() -> "closed " + connection + ": " + reason.getCloseCode().getCode());
        }
    }

    /** Standalone (tests), with nothing injected, the thread that sends writes. */
    private Executor lane() {
        return lanes != null ? lanes.next() : Runnable::run;
    }

    private ChatService chat() {
        return chat != null ? chat : standalone;
    }
}
