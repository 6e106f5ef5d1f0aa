package dev.parley.security;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which pages may open a WebSocket: no Origin (not a browser) passes, the server's own origin passes, and so
 * do the configured origins; every other browser page is refused, so that a foreign site cannot act with a
 * visitor's token.
 */
public final class OriginPolicy {

    private final List<String> allowed;

    public OriginPolicy(List<String> allowed) {
        this.allowed = allowed.stream().map(OriginPolicy::normalize).filter(Objects::nonNull).toList();
    }

    /**
     * @param origin the request's Origin header, or null
     * @param host   the request's Host header (host and port as the browser addressed the server), or null
     */
    public boolean allows(String origin, String host) {
        if (origin == null) {
            return true;
        }
        String normalized = normalize(origin);
        if (normalized == null) {
            return false;
        }
        return allowed.contains(normalized) || sameOrigin(normalized, host);
    }

    /**
     * Compares host and port only: behind a proxy that terminates TLS the page is https and the request
     * http, and one port never serves both.
     */
    private static boolean sameOrigin(String origin, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        URI uri = URI.create(origin); // normalized: no port when it is the scheme's default
        String h = host.trim().toLowerCase(Locale.ROOT);
        boolean hasPort = h.lastIndexOf(':') > h.lastIndexOf(']');
        if (!hasPort) {
            // A Host without a port ("example.org", "[::1]") is the default port of the scheme the browser used,
            // the page's: a proxy that ends TLS passes the browser's Host and asks over http.
            return uri.getPort() == -1 && uri.getHost().equals(h);
        }
        int port = uri.getPort() == -1 ? defaultPort(uri.getScheme()) : uri.getPort();
        return h.equals(uri.getHost() + ":" + port);
    }

    private static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    /**
     * {@code scheme://host[:port]} in lower case, the scheme's default port left out as browsers leave it out of
     * Origin (a configured {@code https://chat.example.org:443} is the page's {@code https://chat.example.org}),
     * or null when it is not an http(s) origin.
     */
    static String normalize(String origin) {
        try {
            URI uri = URI.create(origin.trim());
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
                return null;
            }
            String port = uri.getPort() == -1 || uri.getPort() == defaultPort(scheme) ? "" : ":" + uri.getPort();
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
