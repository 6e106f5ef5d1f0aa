package dev.parley.transport;

import dev.parley.config.Settings;
import dev.parley.protocol.ApiError;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Frames;
import dev.parley.room.Clocks;
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
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.logging.Logger;

/**
 * Guards the WebSocket upgrade before the container's WebSocket filter sees it: the Origin check (403) and
 * the cap on new connections per client address and minute (429). The Origin check lives here,
 * not in the endpoint configurator, because same-origin needs the Host header, which
 * {@code Configurator.checkOrigin} does not get. It also hands the client's address to the endpoint, which
 * the WebSocket API does not expose, as a request header that the client cannot forge, and has Grizzly (on
 * Payara) write the connection's frames through a small buffer.
 */
@WebFilter(urlPatterns = "/ws", asyncSupported = true)
public class HandshakeFilter extends HttpFilter {

    static final String ADDRESS_HEADER = "X-Parley-Client-Address";
    private static final int TOO_MANY_REQUESTS = 429;
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
        if (!origins.allows(origin, request.getHeader("Host"))) {
            LOG.info(() -> "refused a WebSocket from " + request.getRemoteAddr() + ": foreign origin");
            refuse(response, HttpServletResponse.SC_FORBIDDEN, ErrorCode.FORBIDDEN, "origin not allowed");
            return;
        }
        if (!addresses.tryOpen(request.getRemoteAddr(), Clocks.NODE.steady().millis())) {
            LOG.info(() -> "refused a WebSocket from " + request.getRemoteAddr() + ": too many connections a minute");
            response.setHeader("Retry-After", "60");
            refuse(response, TOO_MANY_REQUESTS, ErrorCode.RATE_LIMITED, "more than "
                    + settings.connectionsPerAddressPerMinute()
                    + " new connections from your address in a minute: try again later");
            return;
        }
        GrizzlyWriteBuffer.shrink(response);
        chain.doFilter(new WithClientAddress(request), response);
    }

    /**
     * Answers with the body every HTTP error of the API has: the container's own error page (HTML on Payara,
     * nothing on WildFly) told a client without a browser nothing it could read.
     */
    private static void refuse(HttpServletResponse response, int status, ErrorCode code, String message)
            throws IOException {
        byte[] body = Frames.jsonb().toJson(new ApiError(code, message)).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
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
            return ADDRESS_HEADER.equalsIgnoreCase(name) ? Collections.enumeration(List.of(address))
                    : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = Collections.list(super.getHeaderNames());
            names.removeIf(ADDRESS_HEADER::equalsIgnoreCase);
            names.add(ADDRESS_HEADER);
            return Collections.enumeration(names);
        }
    }
}
