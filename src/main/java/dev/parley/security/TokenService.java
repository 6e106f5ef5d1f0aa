package dev.parley.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Issues and verifies HMAC-SHA256 signed JWTs carrying the user name, the roles and the generation of the user's
 * tokens: a token of a generation older than the user's current one (their password changed since) is refused.
 */
public final class TokenService {

    static final String ISSUER = "parley";
    private static final String ROLES = "roles";
    /** 0 in a guest's token; absent from the tokens issued before there were generations, which are of 0. */
    private static final String GENERATION = "gen";

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Duration ttl;
    private final Clock clock;
    private final ToIntFunction<String> generations;

    /** Every user at generation 0: tokens of a server whose passwords never change (tests). */
    public TokenService(byte[] key, Duration ttl, Clock clock) {
        this(key, ttl, clock, user -> 0);
    }

    /** @param generations each user's current generation of tokens (0 for guests) */
    public TokenService(byte[] key, Duration ttl, Clock clock, ToIntFunction<String> generations) {
        try {
            this.signer = new MACSigner(key);
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the token key must be at least 256 bits", e);
        }
        this.ttl = ttl;
        this.clock = clock;
        this.generations = generations;
    }

    /** A signed token of generation 0 for the user, and when it stops being accepted. */
    public Issued issue(String user, Set<String> roles) {
        return issue(user, roles, 0);
    }

    /** A signed token of the generation for the user, and when it stops being accepted. */
    public Issued issue(String user, Set<String> roles, int generation) {
        // JWT times are whole seconds: expiresAt says exactly when the token stops being accepted.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(ttl);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(user)
                .claim(ROLES, List.copyOf(roles))
                .claim(GENERATION, generation)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return new Issued(jwt.serialize(), new Identity(user, Set.copyOf(roles), expires, generation));
    }

    /**
     * The token's identity, or empty when it is malformed, forged, from another issuer, expired, or of an older
     * generation than its user's.
     */
    public Optional<Identity> verify(String token) {
        Optional<Identity> signed = signed(token);
        // Outside the parsing's catch: a store that fails fails the caller, and is not taken for a bad token.
        return signed.filter(identity -> identity.generation() == generations.applyAsInt(identity.user()));
    }

    /** The identity of a well-formed, genuine, unexpired token of this issuer. */
    private Optional<Identity> signed(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expires = claims.getExpirationTime();
            if (!ISSUER.equals(claims.getIssuer()) || claims.getSubject() == null || expires == null
                    || !expires.toInstant().isAfter(clock.instant())) {
                return Optional.empty();
            }
            List<String> roles = claims.getStringListClaim(ROLES);
            Integer generation = claims.getIntegerClaim(GENERATION);
            return Optional.of(new Identity(claims.getSubject(), roles == null ? Set.of() : new HashSet<>(roles),
                    expires.toInstant(), generation == null ? 0 : generation));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public record Issued(String token, Identity identity) {
    }
}
