package io.tally.scoreboard.game;

import static io.tally.scoreboard.game.GameClock.Direction.DOWN;
import static io.tally.scoreboard.game.GameClock.Direction.UP;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The sport presets ({@code GET /api/sports}). "custom" is free-form: any points, any periods, a clock counting up. */
public final class Sports {
    public static final String CUSTOM_ID = "custom";

    private static final long MINUTE = 60_000;

    public static final List<Sport> ALL = List.of(
            new Sport(
                    "basketball",
                    "Basketball",
                    List.of(1, 2, 3),
                    List.of("Q1", "Q2", "Q3", "Q4", "OT"),
                    new Sport.ClockRule(DOWN, 10 * MINUTE),
                    Sport.Scoring.POINTS,
                    0,
                    false),
            new Sport(
                    "soccer",
                    "Football (soccer)",
                    List.of(1),
                    List.of("1st half", "2nd half", "Extra time", "Penalties"),
                    new Sport.ClockRule(UP, 45 * MINUTE),
                    Sport.Scoring.POINTS,
                    0,
                    false),
            new Sport(
                    "hockey",
                    "Ice hockey",
                    List.of(1),
                    List.of("P1", "P2", "P3", "OT", "SO"),
                    new Sport.ClockRule(DOWN, 20 * MINUTE),
                    Sport.Scoring.POINTS,
                    0,
                    false),
            new Sport(
                    "american-football",
                    "American football",
                    List.of(6, 3, 2, 1),
                    List.of("Q1", "Q2", "Q3", "Q4", "OT"),
                    new Sport.ClockRule(DOWN, 15 * MINUTE),
                    Sport.Scoring.POINTS,
                    0,
                    false),
            new Sport(
                    "volleyball",
                    "Volleyball",
                    List.of(1),
                    List.of("Set 1", "Set 2", "Set 3", "Set 4", "Set 5"),
                    null,
                    Sport.Scoring.VOLLEYBALL,
                    3,
                    false),
            new Sport(
                    "tennis",
                    "Tennis",
                    List.of(1),
                    List.of("Set 1", "Set 2", "Set 3"),
                    null,
                    Sport.Scoring.TENNIS,
                    2,
                    false),
            new Sport(
                    CUSTOM_ID,
                    "Other (custom)",
                    List.of(1, 2, 3),
                    List.of(),
                    new Sport.ClockRule(UP, null),
                    Sport.Scoring.POINTS,
                    0,
                    true));

    private static final Map<String, Sport> BY_ID =
            ALL.stream().collect(Collectors.toUnmodifiableMap(Sport::id, Function.identity()));

    private Sports() {}

    public static Sport custom() {
        return BY_ID.get(CUSTOM_ID);
    }

    /** The preset for a request's {@code sport}; a clear 400 otherwise. */
    public static Sport parse(Object value) {
        if (value instanceof String s && BY_ID.containsKey(s)) return BY_ID.get(s);
        throw new InvalidInput("sport must be one of " + String.join(", ", ids()) + " (GET /api/sports)");
    }

    /** The preset a stored game names; anything else (free text from before the presets) is custom. */
    public static Sport of(String id) {
        Sport s = id == null ? null : BY_ID.get(id);
        return s == null ? custom() : s;
    }

    public static List<String> ids() {
        return ALL.stream().map(Sport::id).toList();
    }
}
