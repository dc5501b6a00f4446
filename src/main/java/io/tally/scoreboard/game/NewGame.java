package io.tally.scoreboard.game;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The body of {@code POST /api/games}: what a scorer types to create a game. */
public record NewGame(String sport, String home, String away, String period, GameStatus status) {

    public static NewGame fromJson(Map<String, Object> body) {
        String sport = Text.label(body.getOrDefault("sport", "game"), "sport", false);
        Object home = body.get("home");
        Object away = body.get("away");
        if (home == null || away == null) throw new InvalidInput("home and away team names are required");
        String period = body.containsKey("period") ? Text.label(body.get("period"), "period", true) : "";
        GameStatus status = body.containsKey("status") ? GameStatus.parse(body.get("status")) : GameStatus.SCHEDULED;
        return new NewGame(sport, Text.name(home, "home"), Text.name(away, "away"), period, status);
    }

    /** The game at version 1, scores 0-0. */
    public Game start(String id, Instant now) {
        String at = now.toString();
        return new Game(id, sport, new Team(home, 0), new Team(away, 0), period, status, 1, at, at, List.of());
    }
}
