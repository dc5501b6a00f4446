package io.tally.scoreboard.game;

/**
 * One side of a game: the name as typed by a scorer (rendered as text only), an optional short name
 * (at most 4 characters) and colour ({@code #rrggbb}), and its score (in set sports: sets won).
 */
public record Team(String name, String shortName, String color, int score) {
    public Team(String name, int score) {
        this(name, null, null, score);
    }

    public Team withScore(int newScore) {
        return new Team(name, shortName, color, newScore);
    }
}
