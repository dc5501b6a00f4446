package io.tally.scoreboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.scoreboard.store.MemoryScorerStore;
import io.tally.scoreboard.store.Scorer;
import io.tally.scoreboard.store.ScorerStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScorerTokensTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T19:00:00Z"), ZoneOffset.UTC);

    /** A store that remembers what it was given, to show the token itself never reaches it. */
    static final class SpyStore implements ScorerStore {
        final MemoryScorerStore inner = new MemoryScorerStore();
        final Map<String, Scorer> given = new HashMap<>();
        int lookups;

        @Override
        public boolean add(Scorer scorer, String digest, int max) {
            given.put(digest, scorer);
            return inner.add(scorer, digest, max);
        }

        @Override
        public Optional<Scorer> findByDigest(String digest) {
            lookups++;
            return inner.findByDigest(digest);
        }

        @Override
        public List<Scorer> list(String game) {
            return inner.list(game);
        }

        @Override
        public boolean remove(String game, String scorerId) {
            return inner.remove(game, scorerId);
        }

        @Override
        public void close() {}
    }

    @Test
    void aTokenIsLongRandomAndOnlyItsDigestIsStored() {
        SpyStore store = new SpyStore();
        ScorerTokens tokens = new ScorerTokens(store, CLOCK, 3);
        ScorerTokens.Issued a = tokens.issue("g1", "Court 2").orElseThrow();
        ScorerTokens.Issued b = tokens.issue("g1", "Court 3").orElseThrow();
        assertTrue(a.token().matches("tsc_[A-Za-z0-9_-]{32}"), a.token());
        assertNotEquals(a.token(), b.token());
        for (String digest : store.given.keySet()) {
            assertTrue(digest.matches("[0-9a-f]{64}"), digest);
            assertFalse(digest.contains(a.token().substring(4))
                    || digest.contains(b.token().substring(4)));
        }
        assertEquals(Optional.of(a.scorer()), tokens.find(a.token()));
        assertEquals("g1", a.scorer().game());
        assertEquals("2026-12-02T19:00:00Z", a.scorer().created());
        assertTrue(a.scorer().id().matches("s[a-z0-9]{10}"), a.scorer().id());
    }

    @Test
    void onlyTheExactTokenIsFoundAndARevokedOneNoLonger() {
        SpyStore store = new SpyStore();
        ScorerTokens tokens = new ScorerTokens(store, CLOCK, 3);
        ScorerTokens.Issued a = tokens.issue("g1", "scorer").orElseThrow();
        assertTrue(tokens.find(a.token() + "x").isEmpty());
        int before = store.lookups;
        assertTrue(tokens.find(a.token().substring(4)).isEmpty());
        assertTrue(tokens.find("the-admin-token-mistyped").isEmpty());
        assertEquals(before, store.lookups, "a token without the prefix never reaches the store");
        assertFalse(tokens.revoke("g2", a.scorer().id()), "only within its own game");
        assertTrue(tokens.revoke("g1", a.scorer().id()));
        assertTrue(tokens.find(a.token()).isEmpty());
    }

    @Test
    void aGameHasAtMostTheConfiguredNumberOfTokens() {
        ScorerTokens tokens = new ScorerTokens(new MemoryScorerStore(), CLOCK, 2);
        assertTrue(tokens.issue("g1", "a").isPresent());
        assertTrue(tokens.issue("g1", "b").isPresent());
        assertTrue(tokens.issue("g1", "c").isEmpty());
        assertTrue(tokens.issue("g2", "a").isPresent(), "per game");
        assertEquals(
                List.of("a", "b"), tokens.list("g1").stream().map(Scorer::label).toList());
    }
}
