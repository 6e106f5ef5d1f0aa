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
     * @param scheme the request's scheme, whose default port a Host without a port means
     */
    public boolean allows(String origin, String host, String scheme) {
        if (origin == null) {
            return true;
        }
        String normalized = normalize(origin);
        if (normalized == null) {
            return false;
        }
        return allowed.contains(normalized) || sameOrigin(normalized, host, scheme);
    }

    /**
     * Compares host and port only: behind a proxy that terminates TLS the page is https and the request
     * http, and one port never serves both.
     */
    private static boolean sameOrigin(String origin, String host, String scheme) {
        if (host == null || host.isBlank()) {
            return false;
        }
        URI uri = URI.create(origin);
        int port = uri.getPort() == -1 ? defaultPort(uri.getScheme()) : uri.getPort();
        String originAuthority = uri.getHost() + ":" + port;
        String h = host.trim().toLowerCase(Locale.ROOT);
        // A Host without a port ("example.org", "[::1]") means the default port of the request's scheme.
        boolean hasPort = h.lastIndexOf(':') > h.lastIndexOf(']');
        return originAuthority.equals(hasPort ? h : h + ":" + defaultPort(scheme));
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
