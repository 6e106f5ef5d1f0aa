package dev.parley.transport;

import dev.parley.config.Settings;
import dev.parley.security.AddressLimiter;
import dev.parley.security.OriginPolicy;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.logging.Logger;

/**
 * Guards the WebSocket upgrade before the container's WebSocket filter sees it: the Origin check (403) and
 * the cap on new connections per client address and minute (429). The Origin check lives here,
 * not in the endpoint configurator, because same-origin needs the Host header, which
 * {@code Configurator.checkOrigin} does not get. It also hands the client's address to the endpoint, which
 * the WebSocket API does not expose, as a request header that the client cannot forge, and sizes the buffer
 * that the connection's frames are written through.
 */
@WebFilter(urlPatterns = "/ws", asyncSupported = true)
public class HandshakeFilter extends HttpFilter {

    static final String ADDRESS_HEADER = "X-Parley-Client-Address";
    private static final int TOO_MANY_REQUESTS = 429;
    /**
     * Payara's servlet response gives Grizzly an output buffer of 8 KiB, and once the connection is upgraded
     * Grizzly allocates one of that size for every frame written from a thread that is not its own (the writer
     * lanes): 8 KiB of garbage per delivery. With the smallest size Grizzly takes, a frame that fits is copied
     * into 512 bytes and a longer one is written from its own array. (On WildFly frames do not pass through it.)
     */
    private static final int FRAME_BUFFER_BYTES = 512;
    private static final Logger LOG = Logger.getLogger(HandshakeFilter.class.getName());

    @Inject
    Settings settings;

    private OriginPolicy origins;
    private AddressLimiter addresses;

    @Override
    public void init() {
        origins = new OriginPolicy(settings.allowedOrigins());
        addresses = new AddressLimiter(settings.connectionsPerAddressPerMinute());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String origin = request.getHeader("Origin");
        if (!origins.allows(origin, request.getHeader("Host"), request.getScheme())) {
            LOG.info(() -> "refused a WebSocket from " + request.getRemoteAddr() + ": foreign origin");
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "origin not allowed");
            return;
        }
        if (!addresses.tryOpen(request.getRemoteAddr(), System.currentTimeMillis())) {
            LOG.info(() -> "refused a WebSocket from " + request.getRemoteAddr() + ": too many connections a minute");
            response.setHeader("Retry-After", "60");
            response.sendError(TOO_MANY_REQUESTS, "too many new connections from this address");
            return;
        }
        response.setBufferSize(FRAME_BUFFER_BYTES);
        chain.doFilter(new WithClientAddress(request), response);
    }

    /** The request as the WebSocket container sees it, with the peer's address as a header of ours. */
    private static final class WithClientAddress extends HttpServletRequestWrapper {

        private final String address;

        WithClientAddress(HttpServletRequest request) {
            super(request);
            this.address = request.getRemoteAddr();
        }

        @Override
        public String getHeader(String name) {
            return ADDRESS_HEADER.equalsIgnoreCase(name) ? address : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return ADDRESS_HEADER.equalsIgnoreCase(name) ? Collections.enumeration(java.util.List.of(address))
                    : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            java.util.List<String> names = Collections.list(super.getHeaderNames());
            names.removeIf(ADDRESS_HEADER::equalsIgnoreCase);
            names.add(ADDRESS_HEADER);
            return Collections.enumeration(names);
        }
    }
}
