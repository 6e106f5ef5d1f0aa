package dev.parley.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

    private final OriginPolicy policy =
            new OriginPolicy(List.of("https://chat.example.org", " http://localhost:3000 "));

    @Test
    void clientsWithoutOriginPass() {
        assertTrue(policy.allows(null, "127.0.0.1:8080"));
    }

    @Test
    void theServersOwnOriginPasses() {
        assertTrue(policy.allows("http://127.0.0.1:8080", "127.0.0.1:8080"));
        assertTrue(policy.allows("https://parley.example:8181", "parley.example:8181"));
        assertTrue(policy.allows("https://parley.example", "parley.example"), "default port on both sides");
        assertTrue(policy.allows("https://parley.example", "parley.example:443"), "TLS ends at a proxy");
        // A proxy that ends TLS and passes the browser's Host (nginx: proxy_set_header Host $http_host).
        assertTrue(policy.allows("https://chat.example.org", "chat.example.org"), "TLS ended at a proxy");
        assertTrue(policy.allows("http://[::1]", "[::1]"));
        assertTrue(policy.allows("HTTP://LOCALHOST:8080", "localhost:8080"), "origins compare without case");
    }

    @Test
    void configuredOriginsPass() {
        assertTrue(policy.allows("https://chat.example.org", "internal:8080"));
        assertTrue(policy.allows("http://localhost:3000", "127.0.0.1:8080"));
    }

    /** Browsers leave the scheme's default port out of Origin; an operator may well write it. */
    @Test
    void aConfiguredOriginWithItsDefaultPortIsThePageWithout() {
        OriginPolicy withPorts = new OriginPolicy(List.of("https://chat.example.org:443", "http://intra.example:80"));
        assertTrue(withPorts.allows("https://chat.example.org", "internal:8080"));
        assertTrue(withPorts.allows("http://intra.example", "internal:8080"));
        assertFalse(withPorts.allows("http://chat.example.org", "internal:8080"), "443 is https's only");
        assertFalse(withPorts.allows("https://intra.example", "internal:8080"), "80 is http's only");
    }

    @Test
    void everyOtherOriginIsRefused() {
        assertFalse(policy.allows("http://evil.example", "127.0.0.1:8080"));
        assertFalse(policy.allows("http://127.0.0.1:8081", "127.0.0.1:8080"), "another port is another origin");
        assertFalse(policy.allows("https://127.0.0.1:8443", "127.0.0.1"), "a Host without a port is a default one");
        assertFalse(policy.allows("https://127.0.0.1", "127.0.0.1:80"), "https's default port is not http's");
        assertFalse(policy.allows("http://chat.example.org", "internal:8080"),
                "the allow-list names the scheme");
        assertFalse(policy.allows("null", "127.0.0.1:8080"), "sandboxed pages send the origin null");
        assertFalse(policy.allows("http://127.0.0.1:8080", null));
        assertFalse(policy.allows("file:///etc/passwd", "127.0.0.1:8080"));
    }
}
