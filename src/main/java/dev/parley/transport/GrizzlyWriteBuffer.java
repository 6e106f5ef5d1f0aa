package dev.parley.transport;

import jakarta.servlet.ServletResponse;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Payara only: shrinks the buffer that Grizzly allocates for every frame written to an upgraded connection.
 * Payara's servlet response sets Grizzly's output buffer to 8 KiB on every request, and once the connection is
 * upgraded Grizzly allocates one of that size per write from a thread that is not its own (the writer lanes; its
 * heap memory manager pools only for its own threads): 8 KiB of garbage per delivery. The servlet API cannot
 * shrink it ({@code setBufferSize} only ever grows Payara's), so it is set on Grizzly's response itself, before
 * the upgrade: a frame that fits is copied into 512 bytes, Grizzly's smallest, and a longer one is written from
 * its own array. Elsewhere (WildFly) nothing is done.
 */
final class GrizzlyWriteBuffer {

    private static final int BYTES = 512;

    private static final Logger LOG = Logger.getLogger(GrizzlyWriteBuffer.class.getName());
    private static final String FACADE = "org.apache.catalina.connector.ResponseFacade";

    /** Sets the size from the response facade, found once per facade class; null for what is not Payara's. */
    private static final ClassValue<MethodHandle> SET_SIZE = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> facade) {
            return facade.getName().equals(FACADE) ? find(facade) : null;
        }
    };

    private GrizzlyWriteBuffer() {
    }

    /** Before the upgrade: the response is not committed yet, so Grizzly still takes a new size. */
    static void shrink(ServletResponse response) {
        MethodHandle setSize = SET_SIZE.get(response.getClass());
        if (setSize == null) {
            return;
        }
        try {
            setSize.invokeExact((Object) response);
        } catch (Throwable e) {
            LOG.log(Level.FINE, "the write buffer keeps its size", e);
        }
    }

    /** facade.response (Catalina's) → getCoyoteResponse() (Grizzly's) → getOutputBuffer() → setBufferSize. */
    private static MethodHandle find(Class<?> facade) {
        try {
            Class<?> catalinaType = facade.getDeclaredField("response").getType();
            MethodHandle catalina = MethodHandles.privateLookupIn(facade, MethodHandles.lookup())
                    .findGetter(facade, "response", catalinaType);
            MethodHandle grizzly = publicMethod(catalinaType, "getCoyoteResponse");
            MethodHandle buffer = publicMethod(grizzly.type().returnType(), "getOutputBuffer");
            MethodHandle setSize = MethodHandles.publicLookup().findVirtual(buffer.type().returnType(),
                    "setBufferSize", MethodType.methodType(void.class, int.class));
            MethodHandle chain = catalina;
            for (MethodHandle next : List.of(grizzly, buffer, MethodHandles.insertArguments(setSize, 1, BYTES))) {
                chain = MethodHandles.filterReturnValue(chain, next);
            }
            Findings.log(LOG, "frames are written through a write buffer of " + BYTES + " bytes (Grizzly)", null);
            return chain.asType(MethodType.methodType(void.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            Findings.log(LOG, "Grizzly's write buffer keeps its size", e);
            return null;
        }
    }

    private static MethodHandle publicMethod(Class<?> type, String name) throws ReflectiveOperationException {
        return MethodHandles.publicLookup().unreflect(type.getMethod(name));
    }
}
