package io.tally.scoreboard.game;

/** One side of a game: the name as typed by a scorer (rendered as text only) and its score. */
public record Team(String name, int score) {
    public Team withScore(int newScore) {
        return new Team(name, newScore);
    }
}
