package dev.parley.transport;

import dev.parley.protocol.EncodedFrame;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Writes frames' bytes straight to the Grizzly connection under a Tyrus session on Payara, into the same write
 * queue that Tyrus's own writes (close frames) reach through the servlet layer, so the order of the two is the
 * order of the calls. The servlet layer above that queue (Tyrus's servlet writer, Catalina's and Grizzly's output
 * buffers, the HTTP filter chain) was a tenth of the server's CPU in the fan-out target, for bytes it passes on
 * unchanged. The frames' arrays are shared by every recipient of a message, so Grizzly is told never to recycle
 * them. Not over TLS (the chain's SSL filter must encrypt), and not where any link of the way from the session to
 * the connection is missing: {@link #of} answers null and the frames go through Tyrus.
 */
final class GrizzlyFrameWriter implements FrameWriter {

    private static final Logger LOG = Logger.getLogger(GrizzlyFrameWriter.class.getName());

    /** Getters and methods found once per class and name; the way has the same classes for every session. */
    private static final ClassValue<Map<String, MethodHandle>> HANDLES = new ClassValue<>() {
        @Override
        protected Map<String, MethodHandle> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private final Object connection;
    private final Object writer;
    private final Object memory;
    private final MethodHandle write;
    private final MethodHandle wrap;
    private final MethodHandle keep;
    private final Object completion;
    private final Completion done = new Completion();

    private GrizzlyFrameWriter(Object connection, Object writer, Object memory, Way way) {
        this.connection = connection;
        this.writer = writer;
        this.memory = memory;
        this.write = way.write;
        this.wrap = way.wrap;
        this.keep = way.keep;
        this.completion = Proxy.newProxyInstance(way.completionType.getClassLoader(),
                new Class<?>[] {way.completionType}, done);
    }

    /** The writer for the Tyrus web socket of a session, or null where the way down is not Payara's. */
    static FrameWriter of(Object webSocket) {
        try {
            Object protocol = field(webSocket, "org.glassfish.tyrus.core.TyrusWebSocket", "protocolHandler");
            Object tyrusWriter = field(protocol, "org.glassfish.tyrus.core.ProtocolHandler", "writer");
            Object upgrade = field(tyrusWriter, "org.glassfish.tyrus.servlet.TyrusServletWriter",
                    "tyrusHttpUpgradeHandler");
            // A method, not the field: the handler here is Tyrus's proxy of the one the servlet layer set up.
            Object webConnection = declared(upgrade, "org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler",
                    "getWebConnection");
            Object request = field(webConnection, "org.apache.catalina.connector.WebConnectionImpl", "request");
            Object connection = call(call(call(request, "getCoyoteRequest"), "getContext"), "getConnection");
            if (!plain(call(connection, "getProcessor"))) {
                Findings.log(LOG, "frames over TLS, or a filter chain not looked through, go through Tyrus", null);
                return null;
            }
            Object writer = call(call(call(connection, "getTransport"), "getAsyncQueueIO"), "getWriter");
            Way way = Way.of(connection.getClass().getClassLoader());
            Findings.log(LOG, "frames are written to Grizzly's connection, below the servlet layer", null);
            return new GrizzlyFrameWriter(connection, writer, call(connection, "getMemoryManager"), way);
        } catch (ClassCastException notPayaras) {
            // Tyrus without the servlet layer (standalone, in tests): its own writer is the only way.
            Findings.log(LOG, "frames are written through Tyrus (" + notPayaras.getMessage() + ")", null);
            return null;
        } catch (Throwable e) {
            Findings.log(LOG, "frames are written through Tyrus, not straight to a Grizzly connection", e);
            return null;
        }
    }

    /** Whether the connection's filter chain is one to look through, and has no TLS in it. */
    private static boolean plain(Object filterChain) {
        if (!(filterChain instanceof Iterable<?> filters)) {
            return false;
        }
        for (Object filter : filters) {
            if (filter.getClass().getName().contains("SSL")) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int maxFrames() {
        return 64;
    }

    @Override
    public void write(List<EncodedFrame> frames, SendHandler handler) {
        done.pending = handler; // one write at a time per connection: set before Grizzly may complete it
        try {
            Object buffer = (Object) wrap.invokeExact(memory, FrameWriter.joined(frames));
            keep.invokeExact(buffer, false);
            write.invokeExact(writer, connection, buffer, completion);
        } catch (Throwable e) {
            done.finish(new SendResult(e));
        }
    }

    private static Object field(Object target, String declaringClass, String name) throws Throwable {
        MethodHandle getter = HANDLES.get(target.getClass()).get(declaringClass + "#" + name);
        if (getter == null) {
            Class<?> type = TyrusIdleTimer.superclassNamed(target.getClass(), declaringClass);
            if (type == null) {
                throw new ClassCastException(target.getClass().getName() + " is no " + declaringClass);
            }
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            getter = lookup.unreflectGetter(type.getDeclaredField(name))
                    .asType(MethodType.methodType(Object.class, Object.class));
            HANDLES.get(target.getClass()).put(declaringClass + "#" + name, getter);
        }
        return (Object) getter.invokeExact(target);
    }

    /** A method of the class named {@code declaringClass}, whatever its access, called virtually. */
    private static Object declared(Object target, String declaringClass, String method) throws Throwable {
        MethodHandle call = HANDLES.get(target.getClass()).get(declaringClass + "#" + method + "()");
        if (call == null) {
            Class<?> type = TyrusIdleTimer.superclassNamed(target.getClass(), declaringClass);
            if (type == null) {
                throw new ClassCastException(target.getClass().getName() + " is no " + declaringClass);
            }
            call = MethodHandles.privateLookupIn(type, MethodHandles.lookup()).unreflect(type.getDeclaredMethod(method))
                    .asType(MethodType.methodType(Object.class, Object.class));
            HANDLES.get(target.getClass()).put(declaringClass + "#" + method + "()", call);
        }
        return (Object) call.invokeExact(target);
    }

    private static Object call(Object target, String method) throws Throwable {
        MethodHandle call = HANDLES.get(target.getClass()).get(method);
        if (call == null) {
            Method found = target.getClass().getMethod(method);
            call = MethodHandles.privateLookupIn(found.getDeclaringClass(), MethodHandles.lookup()).unreflect(found)
                    .asType(MethodType.methodType(Object.class, Object.class));
            HANDLES.get(target.getClass()).put(method, call);
        }
        return (Object) call.invokeExact(target);
    }

    /** Grizzly's types and calls for writing, found once per class loader (Payara has one Grizzly). */
    private record Way(MethodHandle write, MethodHandle wrap, MethodHandle keep, Class<?> completionType) {

        private static final Map<ClassLoader, Way> FOUND = new ConcurrentHashMap<>();

        static Way of(ClassLoader grizzly) {
            return FOUND.computeIfAbsent(grizzly, Way::find);
        }

        private static Way find(ClassLoader grizzly) {
            try {
                Class<?> connection = Class.forName("org.glassfish.grizzly.Connection", false, grizzly);
                Class<?> message = Class.forName("org.glassfish.grizzly.asyncqueue.WritableMessage", false, grizzly);
                Class<?> handler = Class.forName("org.glassfish.grizzly.CompletionHandler", false, grizzly);
                Class<?> writer = Class.forName("org.glassfish.grizzly.Writer", false, grizzly);
                Class<?> buffer = Class.forName("org.glassfish.grizzly.Buffer", false, grizzly);
                Class<?> memory = Class.forName("org.glassfish.grizzly.memory.MemoryManager", false, grizzly);
                Class<?> buffers = Class.forName("org.glassfish.grizzly.memory.Buffers", false, grizzly);
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                MethodHandle write = lookup.findVirtual(writer, "write",
                        MethodType.methodType(void.class, connection, message, handler))
                        .asType(MethodType.methodType(void.class, Object.class, Object.class, Object.class,
                                Object.class));
                MethodHandle wrap = lookup.findStatic(buffers, "wrap",
                        MethodType.methodType(buffer, memory, byte[].class))
                        .asType(MethodType.methodType(Object.class, Object.class, byte[].class));
                MethodHandle keep = lookup.findVirtual(buffer, "allowBufferDispose",
                        MethodType.methodType(void.class, boolean.class))
                        .asType(MethodType.methodType(void.class, Object.class, boolean.class));
                return new Way(write, wrap, keep, handler);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("no Grizzly in " + grizzly, e);
            }
        }
    }

    /** Grizzly's completion of this connection's write in flight, handed to the outbound queue's handler. */
    private static final class Completion implements InvocationHandler {

        volatile SendHandler pending;

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            switch (method.getName()) {
                case "completed" -> finish(new SendResult());
                case "failed" -> finish(new SendResult((Throwable) args[0]));
                case "cancelled" -> finish(new SendResult(new CancellationException("write cancelled")));
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "toString" -> {
                    return "completion of a Parley write";
                }
                default -> {
                    // updated: part of the bytes written; the rest follows
                }
            }
            return null;
        }

        void finish(SendResult result) {
            SendHandler handler = pending;
            pending = null;
            if (handler != null) {
                handler.onResult(result);
            }
        }
    }
}
