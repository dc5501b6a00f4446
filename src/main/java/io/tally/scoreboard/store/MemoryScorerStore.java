package io.tally.scoreboard.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Scorer tokens of one instance, in memory (with the in-memory game store). */
public final class MemoryScorerStore implements ScorerStore {
    private final Map<String, Scorer> byDigest = new LinkedHashMap<>();

    @Override
    public synchronized boolean add(Scorer scorer, String digest, int max) {
        if (list(scorer.game()).size() >= max) return false;
        byDigest.put(digest, scorer);
        return true;
    }

    @Override
    public synchronized Optional<Scorer> findByDigest(String digest) {
        return Optional.ofNullable(byDigest.get(digest));
    }

    @Override
    public synchronized List<Scorer> list(String game) {
        List<Scorer> out = new ArrayList<>();
        for (Scorer s : byDigest.values()) if (s.game().equals(game)) out.add(s);
        out.sort(Comparator.comparing(Scorer::created));
        return out;
    }

    @Override
    public synchronized boolean remove(String game, String scorerId) {
        return byDigest.values().removeIf(s -> s.game().equals(game) && s.id().equals(scorerId));
    }

    @Override
    public synchronized void close() {
        byDigest.clear();
    }
}
