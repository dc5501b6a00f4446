package io.tally.scoreboard.game;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON shape of a game, used by the API, the published payloads and the Redis store alike, so
 * a viewer renders exactly what was stored. Maps are written with {@code io.tally.json.JsonWriter}.
 */
public final class GameJson {
    private GameJson() {
    }

    /** The full game, log included: what a single-game view and the console render. */
    public static Map<String, Object> full(Game g) {
        Map<String, Object> m = summary(g);
        List<Object> log = new ArrayList<>(g.log().size());
        for (LogEntry e : g.log()) log.add(entry(e));
        m.put("log", log);
        return m;
    }

    /** Everything but the log: what the all-games board needs and what every live message carries. */
    public static Map<String, Object> summary(Game g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("sport", g.sport());
        m.put("home", team(g.home()));
        m.put("away", team(g.away()));
        m.put("period", g.period());
        m.put("status", g.status().wire());
        m.put("version", g.version());
        m.put("created", g.created());
        m.put("updated", g.updated());
        return m;
    }

    public static Map<String, Object> entry(LogEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", e.version());
        m.put("at", e.at());
        m.put("type", e.type());
        if (e.team() != null) m.put("team", e.team().wire());
        if (e.points() != null) m.put("points", e.points());
        if (e.set() != null) m.put("set", e.set());
        if (e.score() != null) m.put("score", e.score());
        if (e.period() != null) m.put("period", e.period());
        if (e.status() != null) m.put("status", e.status().wire());
        if (e.undoes() != null) m.put("undoes", e.undoes());
        if (e.previous() != null) m.put("previous", e.previous() instanceof GameStatus s ? s.wire() : e.previous());
        if (e.undone()) m.put("undone", true);
        return m;
    }

    private static Map<String, Object> team(Team t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("score", t.score());
        return m;
    }

    /** Reads what {@link #full} wrote (the stored form); throws IllegalArgumentException on anything else. */
    @SuppressWarnings("unchecked")
    public static Game read(Map<String, Object> m) {
        try {
            List<LogEntry> log = new ArrayList<>();
            for (Object o : (List<Object>) m.getOrDefault("log", List.of())) log.add(readEntry((Map<String, Object>) o));
            return new Game((String) m.get("id"), (String) m.get("sport"),
                    readTeam((Map<String, Object>) m.get("home")), readTeam((Map<String, Object>) m.get("away")),
                    (String) m.get("period"), GameStatus.parse(m.get("status")), (Long) m.get("version"),
                    (String) m.get("created"), (String) m.get("updated"), log);
        } catch (ClassCastException | NullPointerException | InvalidInput e) {
            throw new IllegalArgumentException("stored game is malformed: " + e.getMessage(), e);
        }
    }

    private static Team readTeam(Map<String, Object> m) {
        return new Team((String) m.get("name"), ((Long) m.get("score")).intValue());
    }

    private static LogEntry readEntry(Map<String, Object> m) {
        String type = (String) m.get("type");
        Object prev = m.get("previous");
        Object previous = switch (type) {
            case LogEntry.SCORE -> prev == null ? null : ((Long) prev).intValue();
            case LogEntry.STATUS -> prev == null ? null : GameStatus.parse(prev);
            default -> prev;
        };
        return new LogEntry((Long) m.get("version"), (String) m.get("at"), type,
                m.get("team") == null ? null : Side.parse(m.get("team")),
                intOrNull(m.get("points")), intOrNull(m.get("set")), intOrNull(m.get("score")),
                (String) m.get("period"),
                m.get("status") == null ? null : GameStatus.parse(m.get("status")),
                (Long) m.get("undoes"), previous, Boolean.TRUE.equals(m.get("undone")));
    }

    private static Integer intOrNull(Object o) {
        return o == null ? null : ((Long) o).intValue();
    }
}
