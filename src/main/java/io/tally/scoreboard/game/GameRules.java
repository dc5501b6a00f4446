package io.tally.scoreboard.game;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Applies one event to a game: a pure function from (game, event, time) to the next game. */
public final class GameRules {
    private GameRules() {
    }

    /**
     * The game after {@code event}, at {@code game.version() + 1}, with the event appended to its log.
     *
     * @throws Rejected when the game's current state does not allow the event
     */
    public static Game apply(Game game, GameEvent event, Instant now) {
        long version = game.version() + 1;
        String at = now.toString();
        if (event instanceof GameEvent.AddPoints e) {
            requireNotFinal(game);
            int before = game.team(e.team()).score();
            int after = before + e.points();
            if (after < 0) throw new Rejected("score-negative", "a score cannot go below 0");
            if (after > GameEvent.MAX_SCORE) throw new Rejected("score-too-high", "a score cannot go above " + GameEvent.MAX_SCORE);
            return withScore(game, e.team(), after, version, at,
                    new LogEntry(version, at, LogEntry.SCORE, e.team(), e.points(), null, after, null, null, null, before, false));
        }
        if (event instanceof GameEvent.SetScore e) {
            requireNotFinal(game);
            int before = game.team(e.team()).score();
            return withScore(game, e.team(), e.score(), version, at,
                    new LogEntry(version, at, LogEntry.SCORE, e.team(), null, e.score(), e.score(), null, null, null, before, false));
        }
        if (event instanceof GameEvent.ChangePeriod e) {
            requireNotFinal(game);
            LogEntry entry = new LogEntry(version, at, LogEntry.PERIOD, null, null, null, null, e.period(), null, null, game.period(), false);
            return next(game, game.home(), game.away(), e.period(), game.status(), version, at, appended(game.log(), entry));
        }
        if (event instanceof GameEvent.ChangeStatus e) {
            if (e.status() == game.status()) throw new Rejected("status-unchanged", "the game is already " + e.status().wire());
            LogEntry entry = new LogEntry(version, at, LogEntry.STATUS, null, null, null, null, null, e.status(), null, game.status(), false);
            return next(game, game.home(), game.away(), game.period(), e.status(), version, at, appended(game.log(), entry));
        }
        if (event instanceof GameEvent.Undo) {
            return undo(game, version, at);
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    private static Game undo(Game game, long version, String at) {
        List<LogEntry> log = new ArrayList<>(game.log());
        int i = log.size() - 1;
        while (i >= 0 && !log.get(i).isUndoable()) i--;
        if (i < 0) throw new Rejected("nothing-to-undo", "there is nothing left to undo");
        LogEntry target = log.get(i);
        log.set(i, target.markUndone());
        Team home = game.home();
        Team away = game.away();
        String period = game.period();
        GameStatus status = game.status();
        switch (target.type()) {
            case LogEntry.SCORE -> {
                int restored = (Integer) target.previous();
                if (target.team() == Side.HOME) home = home.withScore(restored);
                else away = away.withScore(restored);
            }
            case LogEntry.PERIOD -> period = (String) target.previous();
            case LogEntry.STATUS -> status = (GameStatus) target.previous();
            default -> throw new IllegalStateException("cannot undo " + target.type());
        }
        LogEntry entry = new LogEntry(version, at, LogEntry.UNDO, target.team(), null, null,
                target.type().equals(LogEntry.SCORE) ? (Integer) target.previous() : null,
                null, null, target.version(), null, false);
        log.add(entry);
        return next(game, home, away, period, status, version, at, bounded(log));
    }

    private static void requireNotFinal(Game game) {
        if (game.status() == GameStatus.FINAL) {
            throw new Rejected("game-final", "the game is final: set its status back to live to change it");
        }
    }

    private static Game withScore(Game game, Side side, int score, long version, String at, LogEntry entry) {
        Team home = side == Side.HOME ? game.home().withScore(score) : game.home();
        Team away = side == Side.AWAY ? game.away().withScore(score) : game.away();
        return next(game, home, away, game.period(), game.status(), version, at, appended(game.log(), entry));
    }

    private static Game next(Game g, Team home, Team away, String period, GameStatus status, long version, String at, List<LogEntry> log) {
        return new Game(g.id(), g.sport(), home, away, period, status, version, g.created(), at, log);
    }

    private static List<LogEntry> appended(List<LogEntry> log, LogEntry entry) {
        List<LogEntry> out = new ArrayList<>(log);
        out.add(entry);
        return bounded(out);
    }

    private static List<LogEntry> bounded(List<LogEntry> log) {
        return log.size() <= Game.LOG_LIMIT ? log : log.subList(log.size() - Game.LOG_LIMIT, log.size());
    }
}
