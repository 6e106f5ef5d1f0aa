package dev.parley.transport;

import dev.parley.protocol.EncodedFrame;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes ready-made frame bytes to a Tyrus session through {@code TyrusWebSocket.sendRawFrame}, the call
 * Tyrus's own broadcast uses. It goes through the same per-connection writer as every other frame of the
 * session (order kept) and returns a {@link CompletableFuture}, so nothing waits. Besides the framing, it skips
 * what {@code sendText} does per send in Tyrus 2.1: rescheduling the idle timer on the container's managed
 * scheduler even when the idle timeout is off (Parley's heartbeat sweep does that job), which on Payara captures
 * a context per send and was the largest cost of a broadcast.
 *
 * <p>Tyrus offers no public way from a session to its socket: the remote endpoint's {@code webSocket} field is
 * read through a private lookup, once per session. Where anything of that is missing, {@link #of} answers null
 * and the standard API is used.
 */
final class TyrusFrameWriter implements FrameWriter {

    private static final Logger LOG = Logger.getLogger(TyrusFrameWriter.class.getName());
    private static final String REMOTE_ENDPOINT = "org.glassfish.tyrus.core.TyrusRemoteEndpoint";

    /** The handles, found once per remote endpoint class; {@link Handles#NONE} for what is no Tyrus. */
    private static final ClassValue<Handles> HANDLES = new ClassValue<>() {
        @Override
        protected Handles computeValue(Class<?> remoteClass) {
            return Handles.find(remoteClass);
        }
    };

    private final Handles handles;
    private final Object webSocket;

    private TyrusFrameWriter(Handles handles, Object webSocket) {
        this.handles = handles;
        this.webSocket = webSocket;
    }

    static FrameWriter of(Session session) {
        Object remote = session.getAsyncRemote();
        Handles found = HANDLES.get(remote.getClass());
        if (found == Handles.NONE) {
            return null;
        }
        try {
            Object webSocket = (Object) found.webSocket.invokeExact(remote);
            FrameWriter below = GrizzlyFrameWriter.of(webSocket);
            return below != null ? below : new TyrusFrameWriter(found, webSocket);
        } catch (Throwable e) {
            LOG.log(Level.FINE, "no raw frames for " + session.getId(), e);
            return null;
        }
    }

    /** Frames that queued up while the connection's writer was busy go out in one socket write. */
    @Override
    public int maxFrames() {
        return 64;
    }

    @Override
    public void write(List<EncodedFrame> frames, SendHandler done) {
        Object written;
        try {
            ByteBuffer bytes = ByteBuffer.wrap(FrameWriter.joined(frames)); // a buffer per write: Tyrus consumes it
            written = (Object) handles.sendRawFrame.invokeExact(webSocket, bytes);
        } catch (Throwable e) {
            done.onResult(new SendResult(e)); // not connected any more
            return;
        }
        if (!(written instanceof CompletableFuture<?> completion)) {
            done.onResult(new SendResult(new IllegalStateException("no completion from Tyrus")));
            return;
        }
        completion.whenComplete((ok, e) -> done.onResult(e == null ? new SendResult() : new SendResult(e)));
    }

    private record Handles(MethodHandle webSocket, MethodHandle sendRawFrame) {

        static final Handles NONE = new Handles(null, null);

        static Handles find(Class<?> remoteClass) {
            Class<?> type = TyrusIdleTimer.superclassNamed(remoteClass, REMOTE_ENDPOINT);
            if (type == null) {
                return NONE;
            }
            try {
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
                Class<?> socketType = type.getDeclaredField("webSocket").getType();
                // Typed as Object once here, so that every write is an invokeExact without conversions.
                MethodHandle socket = lookup.findGetter(type, "webSocket", socketType)
                        .asType(MethodType.methodType(Object.class, Object.class));
                MethodHandle send = MethodHandles.publicLookup().findVirtual(socketType, "sendRawFrame",
                        MethodType.methodType(Future.class, ByteBuffer.class))
                        .asType(MethodType.methodType(Object.class, Object.class, ByteBuffer.class));
                // Declared as a Future; Tyrus returns its TyrusFuture, which completes without anybody waiting.
                Class<?> future = Class.forName("org.glassfish.tyrus.core.TyrusFuture", false, type.getClassLoader());
                if (!CompletableFuture.class.isAssignableFrom(future)) {
                    return NONE;
                }
                Findings.log(LOG, "WebSocket frames are built once per message and written as bytes (Tyrus)", null);
                return new Handles(socket, send);
            } catch (ReflectiveOperationException | RuntimeException e) {
                Findings.log(LOG, "Tyrus without raw frames; frames are built per send", e);
                return NONE;
            }
        }
    }
}
