package io.tally.scoreboard.store;

import java.time.Clock;

class MemoryGameStoreTest extends GameStoreContract {
    private final GameStore games = new MemoryGameStore();
    private final IdempotencyStore idempotency = new MemoryIdempotencyStore(Clock.systemUTC());

    @Override
    GameStore games() {
        return games;
    }

    @Override
    IdempotencyStore idempotency() {
        return idempotency;
    }
}
