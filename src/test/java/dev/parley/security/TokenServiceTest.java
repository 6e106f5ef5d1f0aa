package dev.parley.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");
    private final byte[] key = "0123456789abcdef0123456789abcdef".getBytes();
    private final TokenService tokens = new TokenService(key, Duration.ofHours(12), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void anIssuedTokenVerifiesUntilItExpires() {
        TokenService.Issued issued = tokens.issue("guest-ann", Set.of("guest"));
        assertEquals(NOW.plus(Duration.ofHours(12)), issued.identity().expiresAt());
        assertEquals(Optional.of(issued.identity()), tokens.verify(issued.token()));

        TokenService lastSecond = new TokenService(key, Duration.ofHours(12),
                Clock.fixed(NOW.plus(Duration.ofHours(12)).minusSeconds(1), ZoneOffset.UTC));
        assertEquals(Optional.of(issued.identity()), lastSecond.verify(issued.token()), "good until expiresAt");
        TokenService later = new TokenService(key, Duration.ofHours(12),
                Clock.fixed(NOW.plus(Duration.ofHours(12)), ZoneOffset.UTC));
        assertTrue(later.verify(issued.token()).isEmpty(), "expired at expiresAt");
    }

    @Test
    void aKeyShorterThan256BitsIsRefused() {
        assertEquals(32, key.length);
        byte[] short31 = Arrays.copyOf(key, 31);
        assertEquals("the token key must be at least 256 bits", assertThrows(IllegalArgumentException.class,
                () -> new TokenService(short31, Duration.ofHours(1), Clock.systemUTC())).getMessage());
    }

    @Test
    void forgedTokensAreRefused() throws Exception {
        String good = tokens.issue("guest-ann", Set.of("guest")).token();
        TokenService otherKey = new TokenService("another key of thirty-two bytes!".getBytes(), Duration.ofHours(1),
                Clock.systemUTC());
        assertTrue(otherKey.verify(good).isEmpty(), "signed with another key");

        String[] parts = good.split("\\.");
        String otherUser = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"iss\":\"parley\",\"sub\":\"admin\",\"exp\":9999999999}".getBytes());
        assertTrue(tokens.verify(parts[0] + "." + otherUser + "." + parts[2]).isEmpty(), "claims swapped");

        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("parley").subject("admin")
                .expirationTime(Date.from(NOW.plusSeconds(60))).build();
        assertTrue(tokens.verify(new PlainJWT(new PlainHeader(), claims).serialize()).isEmpty(), "alg none");

        SignedJWT foreign = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder().issuer("someone").subject("admin")
                        .expirationTime(Date.from(NOW.plusSeconds(60))).build());
        foreign.sign(new MACSigner(key));
        assertTrue(tokens.verify(foreign.serialize()).isEmpty(), "another issuer");

        assertTrue(tokens.verify("garbage").isEmpty());
        assertTrue(tokens.verify("").isEmpty());
    }

    /** A new password raises the user's generation: the tokens of any other are refused. */
    @Test
    void aTokenOfAnotherGenerationThanItsUsersIsRefused() throws Exception {
        Map<String, Integer> current = new HashMap<>(Map.of("ann", 1));
        TokenService accounts = new TokenService(key, Duration.ofHours(12), Clock.fixed(NOW, ZoneOffset.UTC),
                user -> current.getOrDefault(user, 0));
        TokenService.Issued first = accounts.issue("ann", Set.of(), 1);
        assertEquals(1, first.identity().generation());
        assertEquals(Optional.of(first.identity()), accounts.verify(first.token()));
        assertTrue(accounts.verify(accounts.issue("ann", Set.of(), 0).token()).isEmpty(), "an older one");
        assertTrue(accounts.verify(accounts.issue("ann", Set.of(), 2).token()).isEmpty(), "nor a newer one");

        current.put("ann", 2);
        assertTrue(accounts.verify(first.token()).isEmpty(), "after the password changed again");

        SignedJWT fromBefore = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .issuer("parley").subject("bob").expirationTime(Date.from(NOW.plusSeconds(60))).build());
        fromBefore.sign(new MACSigner(key));
        assertEquals(0, accounts.verify(fromBefore.serialize()).orElseThrow().generation(),
                "a token without one, issued before there were generations, is of the first");
        current.put("bob", 1);
        assertTrue(accounts.verify(fromBefore.serialize()).isEmpty(), "until bob's password changes");
    }

    @Test
    void theGeneratedKeyIsKeptAcrossStarts(@TempDir Path dir) throws Exception {
        byte[] first = SigningKey.load(Optional.empty(), dir.resolve("data"));
        byte[] second = SigningKey.load(Optional.empty(), dir.resolve("data"));
        assertEquals(32, first.length);
        assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(second));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("data").resolve(SigningKey.FILE))));
    }
}
