package io.tally.scoreboard.store;

import java.time.Duration;
import java.util.Optional;

/**
 * Remembers the responses to writes by their {@code Idempotency-Key}, so a retried POST is answered
 * from memory instead of applied again — on any instance when the store is Redis.
 *
 * <p>Protocol: {@link #claim} atomically reserves a key. The claimer then either {@link #complete}s it
 * with the response or {@link #release}s it (a transient failure the client may retry). A claim that
 * is never completed (the instance died) expires after {@code pendingTtl}.
 */
public interface IdempotencyStore extends AutoCloseable {

    /** Empty if this call claimed the key; otherwise what is stored for it (possibly still pending). */
    Optional<StoredResponse> claim(String key, String fingerprint, Duration pendingTtl);

    void complete(String key, StoredResponse response, Duration ttl);

    /** Gives up a pending claim; a completed record stays (it may have been put back after a data loss). */
    void release(String key);

    @Override
    void close();
}
