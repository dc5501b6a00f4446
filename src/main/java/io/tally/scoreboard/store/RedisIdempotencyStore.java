package io.tally.scoreboard.store;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

import java.time.Duration;
import java.util.Optional;

/**
 * Idempotency records in Redis ({@code PREFIX:idem:KEY}, one string each, expiring), so a POST retried
 * against another instance is still recognised. {@code SET NX} is the atomic claim.
 */
public final class RedisIdempotencyStore implements IdempotencyStore {
    private final UnifiedJedis redis;
    private final String prefix;

    public RedisIdempotencyStore(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix + ":idem:";
    }

    @Override
    public Optional<StoredResponse> claim(String key, String fingerprint, Duration pendingTtl) {
        String k = prefix + key;
        String pending = StoredResponse.pending(fingerprint).encode();
        for (int attempt = 0; attempt < 3; attempt++) {
            String ok = RedisGameStore.call(() -> redis.set(k, pending, SetParams.setParams().nx().px(pendingTtl.toMillis())));
            if ("OK".equals(ok)) return Optional.empty();
            String existing = RedisGameStore.call(() -> redis.get(k));
            if (existing != null) return Optional.of(StoredResponse.decode(existing));
            // Expired between SET and GET: try to claim again.
        }
        throw new StoreUnavailableException("could not claim idempotency key", null);
    }

    @Override
    public void complete(String key, StoredResponse response, Duration ttl) {
        RedisGameStore.call(() -> redis.set(prefix + key, response.encode(), SetParams.setParams().px(ttl.toMillis())));
    }

    @Override
    public void release(String key) {
        RedisGameStore.call(() -> redis.del(prefix + key));
    }

    @Override
    public void close() {
        // Shared pool: closed by its owner (Stores).
    }
}
