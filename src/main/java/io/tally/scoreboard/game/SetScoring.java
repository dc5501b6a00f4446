package io.tally.scoreboard.game;

import java.util.ArrayList;
import java.util.List;

/**
 * Points within sets. Volleyball: a set is won at 25 with a lead of 2 (15 in the deciding set).
 * Tennis: a game is won at 4 points with a lead of 2 (0/15/30/40, deuce, advantage); a set at 6 games
 * with a lead of 2, or 7-6 through a tiebreak (first to 7, lead of 2) at 6-6. The match ends, and the
 * game turns final, when a team has won the sport's {@code setsToWin}.
 */
final class SetScoring {
    private SetScoring() {}

    static Scoreline point(Sport sport, Scoreline s, Side side) {
        if (s.home() >= sport.setsToWin() || s.away() >= sport.setsToWin()) {
            throw Rejected.conflict(
                    "match-over",
                    "the match is decided (" + s.home() + "-" + s.away()
                            + " in sets): undo the last point to correct it");
        }
        List<GameSet> sets = new ArrayList<>(s.sets().isEmpty() ? List.of(GameSet.EMPTY) : s.sets());
        int current = sets.size() - 1;
        GameSet set = sets.get(current);
        GamePoints point = s.point();
        boolean setWon;
        if (sport.scoring() == Sport.Scoring.VOLLEYBALL) {
            set = set.plus(side);
            int target = current == 2 * sport.setsToWin() - 2 ? 15 : 25;
            setWon = leads(set.of(side), set.of(other(side)), target);
        } else {
            boolean tiebreak = set.home() == 6 && set.away() == 6;
            GamePoints p = (point == null ? GamePoints.LOVE : point).plus(side);
            if (leads(p.of(side), p.of(other(side)), tiebreak ? 7 : 4)) {
                set = set.plus(side);
                point = GamePoints.LOVE;
                int mine = set.of(side);
                int theirs = set.of(other(side));
                setWon = leads(mine, theirs, 6) || (mine == 7 && theirs == 6);
            } else {
                // From deuce on only the difference matters: keep the counts at 3-3 or 4-3.
                while (!tiebreak && p.home() > 3 && p.away() > 3) p = new GamePoints(p.home() - 1, p.away() - 1);
                point = p;
                setWon = false;
            }
        }
        sets.set(current, set);
        int home = s.home();
        int away = s.away();
        String period = s.period();
        GameStatus status = s.status();
        if (setWon) {
            if (side == Side.HOME) home++;
            else away++;
            if (Math.max(home, away) >= sport.setsToWin()) {
                status = GameStatus.FINAL;
            } else {
                sets.add(GameSet.EMPTY);
                period = "Set " + sets.size();
            }
        }
        return new Scoreline(home, away, sets, sport.scoring() == Sport.Scoring.TENNIS ? point : null, period, status);
    }

    static boolean tiebreak(Sport sport, List<GameSet> sets) {
        if (sport.scoring() != Sport.Scoring.TENNIS || sets.isEmpty()) return false;
        GameSet last = sets.get(sets.size() - 1);
        return last.home() == 6 && last.away() == 6;
    }

    private static boolean leads(int mine, int theirs, int target) {
        return mine >= target && mine - theirs >= 2;
    }

    private static Side other(Side side) {
        return side == Side.HOME ? Side.AWAY : Side.HOME;
    }
}
