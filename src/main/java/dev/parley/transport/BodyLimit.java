package dev.parley.transport;

import dev.parley.protocol.ApiError;
import dev.parley.protocol.ErrorCode;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Bounds every request body of the API. Its bodies are small (a notice of the longest text, every character
 * escaped, is under 100 KB), and a JSON body is read whole into memory: without a bound one request could take
 * the heap. A declared length past it is refused before anything is read; a body without one (chunked) is
 * counted as it is read, and refused when it passes the bound.
 */
@Provider
@PreMatching
public class BodyLimit implements ContainerRequestFilter {

    public static final int MAX_BODY_BYTES = 256 * 1024;

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getLength() > MAX_BODY_BYTES) {
            request.abortWith(tooLarge());
        } else {
            // Not asked whether there is a body: Jersey finds out by marking and reading ahead in Grizzly's stream,
            // which after an h2c upgrade now and then lost part of a body over 64 KiB (seen with curl --http2).
            request.setEntityStream(new Bounded(request.getEntityStream()));
        }
    }

    static Response tooLarge() {
        return ApiError.response(Response.Status.REQUEST_ENTITY_TOO_LARGE, ErrorCode.TOO_LARGE,
                "a request body is at most " + MAX_BODY_BYTES + " bytes");
    }

    /** Thrown by the body's stream past the bound; {@link JsonBodyReader} answers it with {@link #tooLarge}. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("the request body is over " + MAX_BODY_BYTES + " bytes");
        }
    }

    private static final class Bounded extends FilterInputStream {
        private long read;

        Bounded(InputStream body) {
            super(body);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int bytes) throws TooLarge {
            read += bytes;
            if (read > MAX_BODY_BYTES) {
                throw new TooLarge();
            }
        }
    }
}
