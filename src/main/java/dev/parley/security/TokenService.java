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

/** Issues and verifies HMAC-SHA256 signed JWTs carrying the user name and roles. */
public final class TokenService {

    static final String ISSUER = "parley";
    private static final String ROLES = "roles";

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Duration ttl;
    private final Clock clock;

    public TokenService(byte[] key, Duration ttl, Clock clock) {
        try {
            this.signer = new MACSigner(key);
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the token key must be at least 256 bits", e);
        }
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A signed token for the user, and when it stops being accepted. */
    public Issued issue(String user, Set<String> roles) {
        // JWT times are whole seconds: expiresAt says exactly when the token stops being accepted.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(ttl);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(user)
                .claim(ROLES, List.copyOf(roles))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return new Issued(jwt.serialize(), new Identity(user, Set.copyOf(roles), expires));
    }

    /** The token's identity, or empty when it is malformed, forged, from another issuer or expired. */
    public Optional<Identity> verify(String token) {
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
            return Optional.of(new Identity(claims.getSubject(),
                    roles == null ? Set.of() : new HashSet<>(roles), expires.toInstant()));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public record Issued(String token, Identity identity) {
    }
}
