package io.tally.e2e;

import io.tally.json.JsonWriter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.apache.catalina.Context;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * Games in the shape CONTRACT.md gives them (colours, short names, sets, tennis points, clock,
 * start time), answered by GET /api/games/{id} for their ids before the real API sees the request,
 * so the pages' rendering of those fields is tested while the API that stores them is built
 * elsewhere. Each game is made per request from the server's clock ({@code now} in epoch ms), so a
 * running clock is exact. With {@code list}, GET /api/games answers these games too (README pictures).
 */
public final class CannedGames implements Filter {
    private final Map<String, LongFunction<Map<String, Object>>> games = new LinkedHashMap<>();
    private final boolean list;

    private CannedGames(boolean list) {
        this.list = list;
    }

    /** Installs the filter on {@code context} (a TallyServer customizer) and returns it to add games to. */
    public static CannedGames install(Context context, boolean list) {
        CannedGames canned = new CannedGames(list);
        FilterDef def = new FilterDef();
        def.setFilterName("canned-games");
        def.setFilter(canned);
        def.setAsyncSupported("true");
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("canned-games");
        map.addURLPattern("/api/games");
        map.addURLPattern("/api/games/*");
        context.addFilterMap(map);
        return canned;
    }

    public CannedGames add(String id, LongFunction<Map<String, Object>> game) {
        games.put(id, game);
        return this;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        String path = req.getRequestURI().substring(req.getContextPath().length());
        long now = System.currentTimeMillis();
        Object body = null;
        if ("GET".equals(req.getMethod())
                && path.startsWith("/api/games/")
                && games.containsKey(path.substring("/api/games/".length()))) {
            body = Map.of(
                    "game", games.get(path.substring("/api/games/".length())).apply(now));
        } else if (list && "GET".equals(req.getMethod()) && path.equals("/api/games")) {
            List<Object> all = new ArrayList<>();
            games.values().forEach(g -> all.add(g.apply(now)));
            body = Map.of("games", all);
        }
        if (body == null) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse resp = (HttpServletResponse) response;
        resp.setContentType("application/json;charset=UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(JsonWriter.write(body));
    }

    /** A game map; {@code extra} adds or replaces fields. */
    public static Map<String, Object> game(
            String id,
            String sport,
            Map<String, Object> home,
            Map<String, Object> away,
            String period,
            String status,
            Map<String, Object> extra) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("id", id);
        g.put("sport", sport);
        g.put("home", home);
        g.put("away", away);
        g.put("period", period);
        g.put("status", status);
        g.put("version", 7);
        g.put("created", "2026-12-01T18:00:00Z");
        g.put("updated", "2026-12-01T18:30:00Z");
        g.put("log", List.of());
        g.putAll(extra);
        return g;
    }

    public static Map<String, Object> team(String name, String shortName, String color, int score) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        if (shortName != null) t.put("short", shortName);
        if (color != null) t.put("color", color);
        t.put("score", score);
        return t;
    }

    public static Map<String, Object> clock(boolean running, String direction, long ms, long at) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("running", running);
        c.put("direction", direction);
        c.put("ms", ms);
        c.put("at", at);
        return c;
    }
}
