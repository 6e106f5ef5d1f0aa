package dev.parley.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted slow hashes for account and room passwords: PBKDF2 with HMAC-SHA256 from the JDK, which every
 * application server has (Jakarta Security's {@code Pbkdf2PasswordHash} is the same algorithm, but is not a
 * plain class we could test alone). A hash records its own iteration count, so that the count can be raised
 * later without locking anybody out.
 */
public final class PasswordHasher {

    /** PBKDF2 hashes whatever it is given: a cap keeps one request or frame from costing seconds of CPU. */
    public static final int MAX_LENGTH = 1024;
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
    public static final int ITERATIONS = 210_000;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final String PREFIX = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final SecureRandom random = new SecureRandom();
    private final int iterations;
    /** Checked against when there is no hash, so that "no such user" takes as long as "wrong password". */
    private final String decoy;

    public PasswordHasher() {
        this(ITERATIONS);
    }

    public PasswordHasher(int iterations) {
        this.iterations = iterations;
        this.decoy = hash("decoy password, never matches a stored hash");
    }

    /** {@code pbkdf2-sha256$iterations$salt$hash}, salt and hash in base64. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + base64.encodeToString(salt) + "$"
                + base64.encodeToString(derive(password, salt, iterations));
    }

    /**
     * Whether the password matches the hash. A null hash (no such user, no room password) is compared with a
     * decoy and never matches, in the same time. A missing or overlong password never matches and costs
     * nothing, whatever the hash.
     */
    public boolean matches(String password, String hash) {
        String[] parts = (hash == null ? decoy : hash).split("\\$");
        if (parts.length != 4 || !PREFIX.equals(parts[0]) || password == null || password.length() > MAX_LENGTH) {
            return false;
        }
        Base64.Decoder base64 = Base64.getDecoder();
        byte[] expected = base64.decode(parts[3]);
        byte[] actual = derive(password, base64.decode(parts[2]), Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(expected, actual) && hash != null;
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
