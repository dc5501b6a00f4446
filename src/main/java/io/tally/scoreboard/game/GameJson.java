package io.tally.scoreboard.game;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON shape of a game, used by the API, the published payloads and the Redis store alike, so
 * a viewer renders exactly what was stored. Maps are written with {@code io.tally.json.JsonWriter}.
 * Optional parts (short names, colours, sets, point, clock, start time) are left out when absent, and
 * {@link #read} accepts games stored before they existed.
 */
public final class GameJson {
    private GameJson() {}

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
        if (!g.sets().isEmpty()) m.put("sets", sets(g.sets()));
        if (g.point() != null) m.put("point", point(g.point(), SetScoring.tiebreak(g.rules(), g.sets())));
        m.put("period", g.period());
        if (g.clock() != null) m.put("clock", clock(g.clock()));
        if (g.startsAt() != null) m.put("startsAt", g.startsAt());
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
        if (e.action() != null) m.put("action", e.action());
        if (e.ms() != null) m.put("ms", e.ms());
        if (e.undoes() != null) m.put("undoes", e.undoes());
        if (e.previous() != null) m.put("previous", previous(e.previous()));
        if (e.undone()) m.put("undone", true);
        return m;
    }

    private static Object previous(Object p) {
        if (p instanceof GameStatus s) return s.wire();
        if (p instanceof Scoreline s) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("home", s.home());
            m.put("away", s.away());
            m.put("sets", sets(s.sets()));
            if (s.point() != null)
                m.put("point", List.of(s.point().home(), s.point().away()));
            m.put("period", s.period());
            m.put("status", s.status().wire());
            return m;
        }
        return p;
    }

    private static Map<String, Object> team(Team t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        if (t.shortName() != null) m.put("short", t.shortName());
        if (t.color() != null) m.put("color", t.color());
        m.put("score", t.score());
        return m;
    }

    private static List<Object> sets(List<GameSet> sets) {
        List<Object> out = new ArrayList<>(sets.size());
        for (GameSet s : sets) out.add(pair(s.home(), s.away()));
        return out;
    }

    private static Map<String, Object> point(GamePoints p, boolean tiebreak) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("home", p.label(Side.HOME, tiebreak));
        m.put("away", p.label(Side.AWAY, tiebreak));
        return m;
    }

    private static Map<String, Object> clock(GameClock c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("running", c.running());
        m.put("direction", c.direction().wire());
        m.put("ms", c.ms());
        m.put("at", c.at());
        return m;
    }

    private static Map<String, Object> pair(Object home, Object away) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("home", home);
        m.put("away", away);
        return m;
    }

    /**
     * Reads what {@link #full} wrote (the stored form); throws IllegalArgumentException on anything else.
     * A sport that is not a preset id (free text stored before the presets) reads as "custom".
     */
    @SuppressWarnings("unchecked")
    public static Game read(Map<String, Object> m) {
        try {
            List<LogEntry> log = new ArrayList<>();
            for (Object o : (List<Object>) m.getOrDefault("log", List.of()))
                log.add(readEntry((Map<String, Object>) o));
            Sport sport = Sports.of((String) m.get("sport"));
            List<GameSet> sets = readSets((List<Object>) m.get("sets"));
            GamePoints point = null;
            if (m.get("point") instanceof Map<?, ?> p) {
                point = GamePoints.parse(
                        (String) p.get("home"), (String) p.get("away"), SetScoring.tiebreak(sport, sets));
            }
            return new Game(
                    (String) m.get("id"),
                    sport.id(),
                    readTeam((Map<String, Object>) m.get("home")),
                    readTeam((Map<String, Object>) m.get("away")),
                    sets,
                    point,
                    (String) m.get("period"),
                    readClock((Map<String, Object>) m.get("clock")),
                    (String) m.get("startsAt"),
                    GameStatus.parse(m.get("status")),
                    (Long) m.get("version"),
                    (String) m.get("created"),
                    (String) m.get("updated"),
                    log);
        } catch (ClassCastException | NullPointerException | InvalidInput e) {
            throw new IllegalArgumentException("stored game is malformed: " + e.getMessage(), e);
        }
    }

    private static Team readTeam(Map<String, Object> m) {
        return new Team(
                (String) m.get("name"),
                (String) m.get("short"),
                (String) m.get("color"),
                ((Long) m.get("score")).intValue());
    }

    @SuppressWarnings("unchecked")
    private static List<GameSet> readSets(List<Object> list) {
        if (list == null) return List.of();
        List<GameSet> sets = new ArrayList<>(list.size());
        for (Object o : list) {
            Map<String, Object> s = (Map<String, Object>) o;
            sets.add(new GameSet(((Long) s.get("home")).intValue(), ((Long) s.get("away")).intValue()));
        }
        return sets;
    }

    private static GameClock readClock(Map<String, Object> m) {
        if (m == null) return null;
        return new GameClock(
                Boolean.TRUE.equals(m.get("running")),
                GameClock.Direction.parse(m.get("direction")),
                (Long) m.get("ms"),
                (Long) m.get("at"));
    }

    @SuppressWarnings("unchecked")
    private static LogEntry readEntry(Map<String, Object> m) {
        String type = (String) m.get("type");
        Object prev = m.get("previous");
        Object previous = prev == null
                ? null
                : switch (type) {
                    case LogEntry.SCORE -> ((Long) prev).intValue();
                    case LogEntry.STATUS -> GameStatus.parse(prev);
                    case LogEntry.POINT -> readScoreline((Map<String, Object>) prev);
                    default -> prev;
                };
        return new LogEntry(
                (Long) m.get("version"),
                (String) m.get("at"),
                type,
                m.get("team") == null ? null : Side.parse(m.get("team")),
                intOrNull(m.get("points")),
                intOrNull(m.get("set")),
                intOrNull(m.get("score")),
                (String) m.get("period"),
                m.get("status") == null ? null : GameStatus.parse(m.get("status")),
                (Long) m.get("undoes"),
                previous,
                Boolean.TRUE.equals(m.get("undone")),
                (String) m.get("action"),
                (Long) m.get("ms"));
    }

    @SuppressWarnings("unchecked")
    private static Scoreline readScoreline(Map<String, Object> m) {
        List<Object> p = (List<Object>) m.get("point");
        GamePoints point =
                p == null ? null : new GamePoints(((Long) p.get(0)).intValue(), ((Long) p.get(1)).intValue());
        return new Scoreline(
                ((Long) m.get("home")).intValue(),
                ((Long) m.get("away")).intValue(),
                readSets((List<Object>) m.get("sets")),
                point,
                (String) m.get("period"),
                GameStatus.parse(m.get("status")));
    }

    private static Integer intOrNull(Object o) {
        return o == null ? null : ((Long) o).intValue();
    }

    /** A preset as {@code GET /api/sports} lists it. */
    public static Map<String, Object> sport(Sport s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("name", s.name());
        m.put("buttons", s.buttons());
        m.put("periods", s.periods());
        if (s.clock() == null) {
            m.put("clock", null);
        } else {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("direction", s.clock().direction().wire());
            c.put("periodMs", s.clock().periodMs());
            m.put("clock", c);
        }
        m.put("sets", s.hasSets());
        m.put("scoring", s.scoring().wire());
        if (s.hasSets()) m.put("setsToWin", s.setsToWin());
        m.put("freeScoring", s.freeScoring());
        return m;
    }
}
