package io.tally.scoreboard.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Idempotency records of one instance, expired lazily (swept every few hundred claims). */
public final class MemoryIdempotencyStore implements IdempotencyStore {
    private record Entry(StoredResponse response, long expiresAt) {}

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger claims = new AtomicInteger();
    private final Clock clock;

    public MemoryIdempotencyStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<StoredResponse> claim(String key, String fingerprint, Duration pendingTtl) {
        long now = clock.millis();
        if (claims.incrementAndGet() % 256 == 0) entries.values().removeIf(e -> e.expiresAt <= now);
        Entry mine = new Entry(StoredResponse.pending(fingerprint), now + pendingTtl.toMillis());
        Entry existing = entries.compute(key, (k, e) -> e == null || e.expiresAt <= now ? mine : e);
        return existing == mine ? Optional.empty() : Optional.of(existing.response);
    }

    @Override
    public void complete(String key, StoredResponse response, Duration ttl) {
        entries.put(key, new Entry(response, clock.millis() + ttl.toMillis()));
    }

    @Override
    public void release(String key) {
        entries.computeIfPresent(key, (k, e) -> e.response().isPending() ? null : e);
    }

    @Override
    public void close() {
        entries.clear();
    }
}
