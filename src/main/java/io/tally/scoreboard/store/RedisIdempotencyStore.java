package io.tally.scoreboard.store;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Idempotency records in Redis ({@code PREFIX:idem:KEY}, one string each, expiring), so a POST retried
 * against another instance is still recognised. {@code SET NX} is the atomic claim.
 *
 * <p>This instance also remembers the answers it completed most recently, and offers them back when
 * Redis lost its data ({@link #offerAll}, during the games' restore window): a retry of a write whose
 * effect was restored is then answered from the record, not applied a second time.
 */
public final class RedisIdempotencyStore implements IdempotencyStore {
    // Only a claim still pending is released: a completed record offered meanwhile must stay.
    private static final String RELEASE = """
            local v = redis.call('GET', KEYS[1])
            if v and string.match(v, '^[^\\n]*\\n0\\n') then redis.call('DEL', KEYS[1]) end
            return 0""";
    // An offered record replaces nothing but a pending claim.
    private static final String OFFER = """
            local v = redis.call('GET', KEYS[1])
            if v and not string.match(v, '^[^\\n]*\\n0\\n') then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1""";

    private record Remembered(String encoded, long expiresAtMillis) {}

    private final UnifiedJedis redis;
    private final String prefix;
    private final Clock clock;
    private final Map<String, Remembered> recent;

    public RedisIdempotencyStore(UnifiedJedis redis, String prefix) {
        this(redis, prefix, Clock.systemUTC(), 1_000);
    }

    RedisIdempotencyStore(UnifiedJedis redis, String prefix, Clock clock, int remembered) {
        this.redis = redis;
        this.prefix = prefix + ":idem:";
        this.clock = clock;
        this.recent = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
                return size() > remembered;
            }
        };
    }

    @Override
    public Optional<StoredResponse> claim(String key, String fingerprint, Duration pendingTtl) {
        String k = prefix + key;
        String pending = StoredResponse.pending(fingerprint).encode();
        for (int attempt = 0; attempt < 3; attempt++) {
            String ok = RedisGameStore.call(
                    () -> redis.set(k, pending, SetParams.setParams().nx().px(pendingTtl.toMillis())));
            if ("OK".equals(ok)) return Optional.empty();
            String existing = RedisGameStore.call(() -> redis.get(k));
            if (existing != null) return Optional.of(StoredResponse.decode(existing));
            // Expired between SET and GET: try to claim again.
        }
        throw new StoreUnavailableException("could not claim idempotency key", null);
    }

    @Override
    public void complete(String key, StoredResponse response, Duration ttl) {
        String encoded = response.encode();
        RedisGameStore.call(
                () -> redis.set(prefix + key, encoded, SetParams.setParams().px(ttl.toMillis())));
        synchronized (recent) {
            recent.remove(key);
            recent.put(key, new Remembered(encoded, clock.millis() + ttl.toMillis()));
        }
    }

    @Override
    public void release(String key) {
        RedisGameStore.call(() -> redis.eval(RELEASE, List.of(prefix + key), List.of()));
    }

    /** Puts back the remembered answers Redis no longer has; returns how many went back. */
    int offerAll() {
        List<Map.Entry<String, Remembered>> mine;
        synchronized (recent) {
            mine = new ArrayList<>(recent.entrySet());
        }
        long now = clock.millis();
        int stored = 0;
        for (Map.Entry<String, Remembered> e : mine) {
            long left = e.getValue().expiresAtMillis() - now;
            if (left <= 0) continue;
            Object r = RedisGameStore.call(() -> redis.eval(
                    OFFER, List.of(prefix + e.getKey()), List.of(e.getValue().encoded(), Long.toString(left))));
            if (Long.valueOf(1).equals(r)) stored++;
        }
        return stored;
    }

    @Override
    public void close() {
        // Shared pool: closed by its owner (Stores).
    }
}
