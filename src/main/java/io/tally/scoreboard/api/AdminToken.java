package io.tally.scoreboard.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The scorers' shared secret. Only its SHA-256 digest is kept, and presented tokens are hashed and
 * compared with {@link MessageDigest#isEqual} so the comparison takes the same time whatever the
 * input (no length or prefix leak). {@link #toString} never reveals it.
 */
public final class AdminToken {
    public static final int MIN_LENGTH = 16;
    private final byte[] digest;

    public AdminToken(String token) {
        if (token == null || token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("TALLY_ADMIN_TOKEN must be at least " + MIN_LENGTH + " characters");
        }
        this.digest = sha256(token);
    }

    /** A fresh random token (256 bits, URL-safe) for a local run without TALLY_ADMIN_TOKEN. */
    public static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "AdminToken[hidden]";
    }
}
