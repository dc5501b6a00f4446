package io.tally.scoreboard.game;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Applies one event to a game: a pure function from (game, event, time) to the next game. */
public final class GameRules {
    private GameRules() {}

    /**
     * The game after {@code event}, at {@code game.version() + 1}, with the event appended to its log.
     *
     * @throws Rejected when the game's state (409) or its sport's rules (422) do not allow the event
     */
    public static Game apply(Game game, GameEvent event, Instant now) {
        long version = game.version() + 1;
        String at = now.toString();
        Sport sport = game.rules();
        if (event instanceof GameEvent.AddPoints e) {
            requireScorable(game);
            requireTotals(game, sport);
            if (!sport.allows(e.points())) throw pointsNotAllowed(sport);
            int before = game.team(e.team()).score();
            int after = before + e.points();
            if (after < 0) throw Rejected.conflict("score-negative", "a score cannot go below 0");
            if (after > GameEvent.MAX_SCORE)
                throw Rejected.conflict("score-too-high", "a score cannot go above " + GameEvent.MAX_SCORE);
            return withScore(
                    game,
                    e.team(),
                    after,
                    version,
                    at,
                    new LogEntry(
                            version,
                            at,
                            LogEntry.SCORE,
                            e.team(),
                            e.points(),
                            null,
                            after,
                            null,
                            null,
                            null,
                            before,
                            false));
        }
        if (event instanceof GameEvent.SetScore e) {
            requireScorable(game);
            requireTotals(game, sport);
            int before = game.team(e.team()).score();
            return withScore(
                    game,
                    e.team(),
                    e.score(),
                    version,
                    at,
                    new LogEntry(
                            version,
                            at,
                            LogEntry.SCORE,
                            e.team(),
                            null,
                            e.score(),
                            e.score(),
                            null,
                            null,
                            null,
                            before,
                            false));
        }
        if (event instanceof GameEvent.Point e) {
            requireScorable(game);
            if (!sport.hasSets()) {
                throw Rejected.againstRules(
                        "not-a-set-sport",
                        sport.name()
                                + " is scored with score events ({\"type\":\"score\",\"points\":…}), not points within sets");
            }
            Scoreline before = game.scoreline();
            Scoreline after = SetScoring.point(sport, before, e.team());
            LogEntry entry = new LogEntry(
                    version, at, LogEntry.POINT, e.team(), null, null, null, null, null, null, before, false);
            return game.with(after).next(version, at, appended(game.log(), entry));
        }
        if (event instanceof GameEvent.ChangePeriod e) {
            requireNotFinal(game);
            LogEntry entry = new LogEntry(
                    version, at, LogEntry.PERIOD, null, null, null, null, e.period(), null, null, game.period(), false);
            return game.withPeriod(e.period()).next(version, at, appended(game.log(), entry));
        }
        if (event instanceof GameEvent.ChangeStatus e) {
            if (e.status() == game.status())
                throw Rejected.conflict(
                        "status-unchanged", "the game is already " + e.status().wire());
            LogEntry entry = new LogEntry(
                    version, at, LogEntry.STATUS, null, null, null, null, null, e.status(), null, game.status(), false);
            return game.withStatus(e.status()).next(version, at, appended(game.log(), entry));
        }
        if (event instanceof GameEvent.ClockChange e) {
            GameClock clock = clockOf(game, sport, now.toEpochMilli());
            long t = now.toEpochMilli();
            GameClock next =
                    switch (e.action()) {
                        case START -> {
                            if (game.status() != GameStatus.LIVE)
                                throw Rejected.conflict(
                                        "game-not-live",
                                        "the clock runs only while the game is live: set its status to live first");
                            if (clock.running())
                                throw Rejected.conflict("clock-running", "the clock is already running");
                            if (clock.direction() == GameClock.Direction.DOWN && clock.ms() == 0)
                                throw Rejected.conflict("clock-at-zero", "the clock is at 0:00: set it first");
                            yield clock.started(t);
                        }
                        case STOP -> {
                            if (!clock.running())
                                throw Rejected.conflict("clock-stopped", "the clock is already stopped");
                            yield clock.stopped(t);
                        }
                        case SET -> {
                            requireNotFinal(game);
                            yield clock.set(e.ms(), t);
                        }
                    };
            String action = e.action().name().toLowerCase(java.util.Locale.ROOT);
            LogEntry entry = new LogEntry(
                    version,
                    at,
                    LogEntry.CLOCK,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    false,
                    action,
                    next.ms());
            return game.withClock(next).next(version, at, appended(game.log(), entry));
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
        if (i < 0) throw Rejected.conflict("nothing-to-undo", "there is nothing left to undo");
        LogEntry target = log.get(i);
        log.set(i, target.markUndone());
        Game restored =
                switch (target.type()) {
                    case LogEntry.SCORE -> {
                        int score = (Integer) target.previous();
                        Team home = target.team() == Side.HOME ? game.home().withScore(score) : game.home();
                        Team away = target.team() == Side.AWAY ? game.away().withScore(score) : game.away();
                        yield game.withTeams(home, away);
                    }
                    case LogEntry.POINT -> game.with((Scoreline) target.previous());
                    case LogEntry.PERIOD -> game.withPeriod((String) target.previous());
                    case LogEntry.STATUS -> game.withStatus((GameStatus) target.previous());
                    default -> throw new IllegalStateException("cannot undo " + target.type());
                };
        LogEntry entry = new LogEntry(
                version,
                at,
                LogEntry.UNDO,
                target.team(),
                null,
                null,
                target.type().equals(LogEntry.SCORE) ? (Integer) target.previous() : null,
                null,
                null,
                target.version(),
                null,
                false);
        log.add(entry);
        return restored.next(version, at, bounded(log));
    }

    /** The game's clock, or the sport's starting clock for a game stored before it had one. */
    private static GameClock clockOf(Game game, Sport sport, long now) {
        if (game.clock() != null) return game.clock();
        if (sport.clock() == null) throw Rejected.againstRules("no-clock", sport.name() + " has no game clock");
        return sport.startClock(now);
    }

    private static void requireScorable(Game game) {
        requireNotFinal(game);
        if (game.status() == GameStatus.SCHEDULED) {
            throw Rejected.conflict("game-not-started", "the game has not started: set its status to live to score");
        }
    }

    private static void requireNotFinal(Game game) {
        if (game.status() == GameStatus.FINAL) {
            throw Rejected.conflict("game-final", "the game is final: set its status back to live to change it");
        }
    }

    private static void requireTotals(Game game, Sport sport) {
        if (sport.hasSets()) {
            throw Rejected.againstRules(
                    "scored-by-points",
                    sport.name()
                            + " is scored point by point: send {\"type\":\"point\",\"team\":\"home\"} (undo corrects a mistake)");
        }
    }

    private static Rejected pointsNotAllowed(Sport sport) {
        List<Integer> b = sport.buttons();
        String values = b.size() == 1
                ? b.get(0) + " at a time (or -" + b.get(0) + " to correct)"
                : b.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " (negative to correct)";
        return Rejected.againstRules("points-not-allowed", sport.name() + " scores " + values);
    }

    private static Game withScore(Game game, Side side, int score, long version, String at, LogEntry entry) {
        Team home = side == Side.HOME ? game.home().withScore(score) : game.home();
        Team away = side == Side.AWAY ? game.away().withScore(score) : game.away();
        return game.withTeams(home, away).next(version, at, appended(game.log(), entry));
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
