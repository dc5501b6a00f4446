package io.tally.scoreboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.redis.RedisTarget;
import io.tally.scoreboard.game.Game;
import io.tally.scoreboard.game.GameEvent;
import io.tally.scoreboard.game.GameStatus;
import io.tally.scoreboard.game.NewGame;
import io.tally.scoreboard.game.Side;
import io.tally.scoreboard.store.StoreUnavailableException;
import io.tally.scoreboard.store.Stores;
import io.tally.testing.RedisServer;
import io.tally.testing.TcpRelay;
import java.time.Clock;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A keyed write that real Redis applied but whose reply never came back (the connection went silent
 * after the command was sent): the writer sees 503, and its retry with the same key must find the
 * write in the game's record instead of applying it a second time.
 */
class LostStoreReplyIT {
    @Test
    void aWriteStoredButUnansweredIsNotAppliedAgainByItsRetry() throws Exception {
        try (RedisServer redis = RedisServer.start();
                TcpRelay proxy = new TcpRelay("redis-proxy", redis.port());
                Stores stores = Stores.redis(
                        RedisTarget.parse("redis://127.0.0.1:" + proxy.port(), false), "lost", 500, 60_000, 2_000)) {
            Scorekeeper keeper =
                    new Scorekeeper(stores.games(), new ScorekeeperTest.RecordingFeed(), Clock.systemUTC());
            Game g = keeper.create(new NewGame("rugby", "Reds", "Blues", "", GameStatus.LIVE))
                    .game();
            proxy.loseReplyTo("ARGV[7]"); // the compare-and-set script
            assertThrows(
                    StoreUnavailableException.class,
                    () -> keeper.apply(
                            g.id(), new GameEvent.AddPoints(Side.HOME, 5), OptionalLong.empty(), "key-lost"));
            Scorekeeper.Applied retry =
                    keeper.apply(g.id(), new GameEvent.AddPoints(Side.HOME, 5), OptionalLong.empty(), "key-lost");
            assertTrue(retry.already(), "the retry found the write it repeats");
            assertEquals(OptionalLong.of(2), retry.earlier());
            Game now = stores.games().find(g.id()).orElseThrow();
            assertEquals(2, now.version());
            assertEquals(5, now.home().score(), "applied once");
        }
    }
}
