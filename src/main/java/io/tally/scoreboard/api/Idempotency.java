package io.tally.scoreboard.api;

import io.tally.scoreboard.store.IdempotencyStore;
import io.tally.scoreboard.store.StoreUnavailableException;
import io.tally.scoreboard.store.StoredResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key} handling, after the IETF draft of the same name: the first request with a
 * key runs and its answer is remembered; a retry with the same key and the same request gets that
 * answer again without running (marked {@code Idempotent-Replayed: true}); the same key on a different
 * request is refused (422); a retry while the first is still running gets 409. Answers that say
 * "try again" (5xx) are not remembered, so the retry really runs.
 */
final class Idempotency {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Idempotency.class.getName());
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");
    private static final Duration PENDING = Duration.ofSeconds(30);

    private final IdempotencyStore store;
    private final Duration ttl;

    Idempotency(IdempotencyStore store, Duration ttl) {
        this.store = store;
        this.ttl = ttl;
    }

    /**
     * Runs {@code action} under the request's key. The action gets the key's hashed name (null
     * without a key); a {@code durable} action records that name in the game store atomically with
     * its write, so a retry finds it there even when the claim and answer kept here are gone.
     */
    ApiServlet.Result run(
            HttpServletRequest req, String body, boolean durable, Function<String, ApiServlet.Result> action) {
        String key = req.getHeader("Idempotency-Key");
        if (key == null) return action.apply(null);
        if (!KEY.matcher(key).matches()) {
            throw new Problem(400, "bad-idempotency-key", "Idempotency-Key must be 1 to 200 visible ASCII characters");
        }
        String storeKey = sha256(key);
        String fingerprint = sha256(req.getMethod() + " " + req.getRequestURI() + "\n" + body);
        Optional<StoredResponse> existing = store.claim(storeKey, fingerprint, PENDING);
        if (existing.isPresent()) {
            StoredResponse r = existing.get();
            if (!r.fingerprint().equals(fingerprint)) {
                throw new Problem(
                        422, "idempotency-key-reused", "this Idempotency-Key was already used for a different request");
            }
            if (r.isPending()) {
                throw new Problem(
                                409,
                                "idempotency-in-progress",
                                "the same request is still being processed; try again in a moment")
                        .header("Retry-After", "1");
            }
            return ApiServlet.Result.replay(r);
        }
        ApiServlet.Result result;
        try {
            result = action.apply(storeKey);
        } catch (StoreUnavailableException e) {
            // Ambiguous: the write may have been stored and only its answer lost. A durable write's
            // retry asks the game store, which knows; any other keeps the claim until it expires.
            if (durable) releaseQuietly(storeKey);
            throw e;
        } catch (RuntimeException e) {
            releaseQuietly(storeKey);
            throw e;
        }
        if (result.status() >= 500) {
            releaseQuietly(storeKey);
        } else {
            try {
                store.complete(
                        storeKey,
                        new StoredResponse(fingerprint, result.status(), result.location(), result.body()),
                        ttl);
            } catch (RuntimeException e) {
                // The write happened: answer it. A retry meanwhile meets the pending claim (409) until it expires.
                LOG.warning("could not remember an idempotent response: " + e.getMessage());
            }
        }
        return result;
    }

    private void releaseQuietly(String storeKey) {
        try {
            store.release(storeKey);
        } catch (RuntimeException ignored) {
            // The pending claim expires on its own after PENDING.
        }
    }

    /** Keys are stored hashed: clients may put anything in them, the store sees only hex. */
    private static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
