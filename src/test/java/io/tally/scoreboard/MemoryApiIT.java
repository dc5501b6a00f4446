package io.tally.scoreboard;

import java.util.Map;

/** The REST API on the in-memory store (the default, one instance). */
class MemoryApiIT extends ScoreboardApiContract {
    @Override
    Map<String, String> storeSettings() {
        return Map.of();
    }
}
