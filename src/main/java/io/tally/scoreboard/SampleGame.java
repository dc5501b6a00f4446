package io.tally.scoreboard;

import io.tally.scoreboard.game.Game;
import io.tally.scoreboard.game.GameEvent;
import io.tally.scoreboard.game.GameRules;
import io.tally.scoreboard.game.GameStatus;
import io.tally.scoreboard.game.NewGame;
import io.tally.scoreboard.game.Side;
import java.time.Clock;
import java.time.Instant;
import java.util.logging.Logger;

/** A live game with id "sample", so a fresh Quick start shows something (TALLY_SAMPLE_GAME). */
public final class SampleGame {
    static final String ID = "sample";
    private static final Logger LOG = Logger.getLogger(SampleGame.class.getName());

    private SampleGame() {}

    public static void seed(Scorekeeper scorekeeper, Clock clock) {
        Instant now = clock.instant();
        Game g = new NewGame("basketball", "Harbour Hawks", "Valley Foxes", "Q1", GameStatus.LIVE).start(ID, now);
        g = GameRules.apply(g, new GameEvent.AddPoints(Side.HOME, 2), now);
        g = GameRules.apply(g, new GameEvent.AddPoints(Side.AWAY, 3), now);
        g = GameRules.apply(g, new GameEvent.AddPoints(Side.HOME, 2), now);
        try {
            if (scorekeeper.createIfAbsent(g)) LOG.info("sample game created: /game.html?id=" + ID);
        } catch (RuntimeException e) {
            LOG.warning("could not create the sample game: " + e.getMessage());
        }
    }
}
