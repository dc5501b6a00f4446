package io.tally.scoreboard.api;

import io.tally.json.JsonWriter;
import io.tally.realtime.UnavailableException;
import io.tally.scoreboard.Conflict;
import io.tally.scoreboard.GameNotFound;
import io.tally.scoreboard.Scorekeeper;
import io.tally.scoreboard.game.Game;
import io.tally.scoreboard.game.GameEvent;
import io.tally.scoreboard.game.GameJson;
import io.tally.scoreboard.game.InvalidInput;
import io.tally.scoreboard.game.NewGame;
import io.tally.scoreboard.game.Sport;
import io.tally.scoreboard.game.Sports;
import io.tally.scoreboard.store.IdempotencyStore;
import io.tally.scoreboard.store.Scorer;
import io.tally.scoreboard.store.ScorerStore;
import io.tally.scoreboard.store.StoreRestoringException;
import io.tally.scoreboard.store.StoreUnavailableException;
import io.tally.scoreboard.store.StoredResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The REST API under {@code /api} (see docs/API.md). Reads are open; writes pass, in this order: the
 * origin check (403), the rate limit (429), the token (401) and what it may do (403), the body rules
 * (415, 413, 400), the idempotency key, then the game rules (404, 409, 422). Every error is a
 * {@link Problem}. Every write is logged with who made it (admin, or a scorer's id and label).
 */
public final class ApiServlet extends HttpServlet {
    private static final Logger LOG = Logger.getLogger(ApiServlet.class.getName());

    private final Scorekeeper scorekeeper;
    private final ApiSettings settings;
    private final WriteGate gate;
    private final Idempotency idempotency;
    private final StatusReport status;
    private final ScorerTokens scorers;
    private final String sportsJson;

    public ApiServlet(
            Scorekeeper scorekeeper,
            AdminToken token,
            ApiSettings settings,
            WriteLimiter limiter,
            IdempotencyStore idempotencyStore,
            ScorerStore scorerStore,
            StatusReport status,
            Clock clock) {
        this.scorekeeper = scorekeeper;
        this.settings = settings;
        this.idempotency = new Idempotency(idempotencyStore, settings.idempotencyTtl());
        this.status = status;
        this.scorers = new ScorerTokens(scorerStore, clock, settings.scorersPerGame());
        this.gate = new WriteGate(settings, limiter, token, scorers);
        List<Object> sports = new ArrayList<>();
        for (Sport sp : Sports.ALL) sports.add(GameJson.sport(sp));
        this.sportsJson = JsonWriter.write(Map.of("sports", sports));
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            route(req, resp);
        } catch (Problem p) {
            p.send(resp);
        } catch (GameNotFound e) {
            new Problem(404, "game-not-found", e.getMessage()).send(resp);
        } catch (StoreRestoringException e) {
            new Problem(
                            503,
                            "store-restoring",
                            "Redis lost its data and the games are being restored from the servers' memory; "
                                    + "nothing was changed: try again in " + e.retryAfterSeconds() + " s")
                    .header("Retry-After", Long.toString(e.retryAfterSeconds()))
                    .send(resp);
        } catch (StoreUnavailableException e) {
            new Problem(503, "store-unavailable", "the game store cannot be reached right now; try again in a moment")
                    .header("Retry-After", "2")
                    .send(resp);
        } catch (UnavailableException e) {
            new Problem(
                            503,
                            "broker-unavailable",
                            "live updates cannot be delivered right now, so nothing was changed; try again in a moment")
                    .header("Retry-After", "2")
                    .send(resp);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "unexpected error on " + req.getMethod() + " " + req.getRequestURI(), e);
            new Problem(500, "internal", "something went wrong on the server").send(resp);
        }
    }

    private void route(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        String[] parts = path.substring(1).split("/", -1);
        String method = req.getMethod();
        if (parts.length == 1 && parts[0].equals("games")) {
            if (method.equals("GET")) listGames(resp);
            else if (method.equals("POST"))
                write(req, resp, true, (writer, body, key) -> createGame(writer, body, key));
            else notAllowed("GET, POST");
        } else if (parts.length == 2 && parts[0].equals("games")) {
            if (method.equals("GET")) getGame(parts[1], resp);
            else notAllowed("GET");
        } else if (parts.length == 3
                && parts[0].equals("games")
                && (parts[2].equals("events") || parts[2].equals("undo"))) {
            if (!method.equals("POST")) notAllowed("POST");
            String id = parts[1];
            boolean undo = parts[2].equals("undo");
            write(
                    req,
                    resp,
                    true,
                    (writer, body, key) -> applyEvent(writer, id, undo, body, req.getHeader("If-Match"), key));
        } else if (parts.length == 3 && parts[0].equals("games") && parts[2].equals("scorers")) {
            String id = parts[1];
            if (method.equals("GET")) listScorers(req, id, resp);
            else if (method.equals("POST")) issueScorer(req, id, resp);
            else notAllowed("GET, POST");
        } else if (parts.length == 4 && parts[0].equals("games") && parts[2].equals("scorers")) {
            if (!method.equals("DELETE")) notAllowed("DELETE");
            revokeScorer(req, parts[1], parts[3], resp);
        } else if (parts.length == 1 && parts[0].equals("sports")) {
            if (!method.equals("GET")) notAllowed("GET");
            resp.setStatus(200);
            Responses.write(
                    resp, "application/json", sportsJson, "public, max-age=300"); // presets change only with a release
        } else if (parts.length == 1 && parts[0].equals("session")) {
            if (!method.equals("GET")) notAllowed("GET");
            ok(resp, 200, session(gate.authorize(req)));
        } else if (parts.length == 1 && parts[0].equals("status")) {
            if (!method.equals("GET")) notAllowed("GET");
            status.send(resp);
        } else {
            throw new Problem(404, "not-found", "there is no API at " + req.getRequestURI());
        }
    }

    private void listGames(HttpServletResponse resp) throws IOException {
        Scorekeeper.Listing listing = scorekeeper.list(settings.listLimit());
        List<Object> games = new ArrayList<>();
        for (Game g : listing.games()) games.add(GameJson.summary(g));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("games", games);
        body.put("position", listing.position());
        ok(resp, 200, body);
    }

    private void getGame(String id, HttpServletResponse resp) throws IOException {
        Scorekeeper.Snapshot s = scorekeeper.snapshot(id);
        resp.setHeader("ETag", etag(s.game()));
        ok(resp, 200, snapshotBody(s));
    }

    // ---- writes ----

    /** A write given who makes it, the body text and the idempotency key's hashed name (or null). */
    private interface WriteAction {
        Result apply(Writer writer, String body, String writeKey);
    }

    /**
     * The checks every write shares, then {@code action} under the idempotency key; {@code durable}:
     * the action records the key with its write (see {@link Idempotency#run}).
     */
    private void write(HttpServletRequest req, HttpServletResponse resp, boolean durable, WriteAction action)
            throws IOException {
        Writer writer = gate.authorize(req);
        String text = JsonBody.read(req, settings.maxBodyBytes());
        Result result = idempotency.run(req, text, durable, key -> action.apply(writer, text, key));
        logWrite(req, result.status(), writer, result.replayed());
        resp.setStatus(result.status());
        if (result.replayed()) resp.setHeader("Idempotent-Replayed", "true");
        if (!result.location().isEmpty()) resp.setHeader("Location", result.location());
        if (result.etag() != null) resp.setHeader("ETag", result.etag());
        Responses.write(resp, result.contentType(), result.body());
    }

    private Map<String, Object> session(Writer writer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("authorized", true);
        m.put("instance", status.instance());
        m.put("role", writer.isAdmin() ? "admin" : "scorer");
        if (!writer.isAdmin()) {
            m.put("game", writer.scorer().game());
            m.put("scorer", scorerJson(writer.scorer()));
        }
        return m;
    }

    private void logWrite(HttpServletRequest req, int status, Writer writer, boolean replayed) {
        LOG.info(req.getMethod() + " " + req.getRequestURI() + " -> " + status + (replayed ? " (replayed)" : "")
                + " by " + writer);
    }

    // ---- scorer tokens (admin only; never under an idempotency key: its stored answer would hold the token) ----

    private void listScorers(HttpServletRequest req, String id, HttpServletResponse resp) throws IOException {
        WriteGate.requireAdmin(gate.authorize(req));
        scorekeeper.snapshot(id);
        List<Object> list = new ArrayList<>();
        for (Scorer s : scorers.list(id)) list.add(scorerJson(s));
        ok(resp, 200, Map.of("scorers", list));
    }

    private void issueScorer(HttpServletRequest req, String id, HttpServletResponse resp) throws IOException {
        Writer writer = gate.authorize(req);
        WriteGate.requireAdmin(writer);
        String text = JsonBody.read(req, settings.maxBodyBytes());
        String label = valid(() -> {
            Object l = text.isBlank()
                    ? null
                    : JsonBody.parse(text, settings.maxJsonDepth()).get("label");
            return l == null ? "scorer" : NewGame.label(l, "label");
        });
        scorekeeper.snapshot(id); // 404 for a game that does not exist
        ScorerTokens.Issued issued = scorers.issue(id, label)
                .orElseThrow(() -> new Problem(
                        409,
                        "too-many-scorers",
                        "this game has " + scorers.maxPerGame() + " scorer tokens already: revoke one first"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scorer", scorerJson(issued.scorer()));
        body.put("token", issued.token());
        // The token travels in the fragment, which browsers never send, so it reaches no server log.
        body.put("link", "/console.html?id=" + id + "#token=" + issued.token());
        resp.setHeader(
                "Location", "/api/games/" + id + "/scorers/" + issued.scorer().id());
        logWrite(req, 201, writer, false);
        LOG.info("scorer " + issued.scorer().id() + " (\"" + label + "\") may now score game " + id);
        ok(resp, 201, body);
    }

    private void revokeScorer(HttpServletRequest req, String id, String scorerId, HttpServletResponse resp)
            throws IOException {
        Writer writer = gate.authorize(req);
        WriteGate.requireAdmin(writer);
        if (!scorers.revoke(id, scorerId))
            throw new Problem(404, "scorer-not-found", "game " + id + " has no scorer " + scorerId);
        logWrite(req, 204, writer, false);
        resp.setStatus(204);
        resp.setHeader("Cache-Control", "no-store");
    }

    private static Map<String, Object> scorerJson(Scorer s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("game", s.game());
        m.put("label", s.label());
        m.put("created", s.created());
        return m;
    }

    private Result createGame(Writer writer, String body, String writeKey) {
        WriteGate.requireAdmin(writer);
        NewGame request = valid(() -> NewGame.fromJson(JsonBody.parse(body, settings.maxJsonDepth())));
        Scorekeeper.Created c = scorekeeper.create(request, writeKey, settings.idempotencyTtl());
        Scorekeeper.Snapshot s = c.snapshot();
        Result r = Result.json(201, "/api/games/" + s.game().id(), etag(s.game()), JsonWriter.write(snapshotBody(s)));
        // Created before (its answer was lost): the first game, as it is now.
        return c.already() ? r.markedReplayed() : r;
    }

    private Result applyEvent(
            Writer writer, String id, boolean undoPath, String body, String ifMatchHeader, String writeKey) {
        if (!writer.mayScore(id)) {
            return Result.problem(new Problem(
                    403,
                    "other-game",
                    "this scorer token may only score game " + writer.scorer().game()));
        }
        GameEvent event = undoPath
                ? new GameEvent.Undo()
                : valid(() -> GameEvent.fromJson(JsonBody.parse(body, settings.maxJsonDepth())));
        OptionalLong ifMatch = ifMatch(ifMatchHeader);
        try {
            Scorekeeper.Applied a = scorekeeper.apply(id, event, ifMatch, writeKey);
            Scorekeeper.Snapshot s = a.snapshot();
            if (a.already()) {
                // Applied before (its answer was lost): the success it earned, with the game as it is now.
                Map<String, Object> b = snapshotBody(s);
                b.put("appliedVersion", a.earlier().getAsLong());
                return Result.json(200, "", etag(s.game()), JsonWriter.write(b)).markedReplayed();
            }
            return Result.json(200, "", etag(s.game()), JsonWriter.write(snapshotBody(s)));
        } catch (Conflict c) {
            Problem p = new Problem(c.status(), c.code(), c.getMessage()).with("game", GameJson.full(c.current()));
            return Result.problem(p);
        } catch (GameNotFound e) {
            return Result.problem(new Problem(404, "game-not-found", e.getMessage()));
        }
    }

    /** {@code If-Match: "7"} (or 7, or W/"7"): the game version the scorer last saw. */
    static OptionalLong ifMatch(String header) {
        if (header == null || header.isBlank()) return OptionalLong.empty();
        String v = header.trim();
        if (v.startsWith("W/")) v = v.substring(2);
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
        try {
            long n = Long.parseLong(v);
            if (n < 1) throw new NumberFormatException();
            return OptionalLong.of(n);
        } catch (NumberFormatException e) {
            throw new Problem(400, "bad-if-match", "If-Match must be the game's version, like \"7\"");
        }
    }

    private static <T> T valid(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidInput e) {
            throw new Problem(400, "invalid", e.getMessage());
        }
    }

    private static String etag(Game g) {
        return "\"" + g.version() + "\"";
    }

    private static Map<String, Object> snapshotBody(Scorekeeper.Snapshot s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("game", GameJson.full(s.game()));
        body.put("position", s.position());
        return body;
    }

    private static void notAllowed(String allow) {
        throw new Problem(405, "method-not-allowed", "use " + allow).header("Allow", allow);
    }

    private static void ok(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        Responses.write(resp, "application/json", JsonWriter.write(body));
    }

    /** A write's answer, as sent and as remembered for its idempotency key. */
    record Result(int status, String contentType, String location, String etag, String body, boolean replayed) {
        static Result json(int status, String location, String etag, String body) {
            return new Result(status, "application/json", location, etag, body, false);
        }

        static Result problem(Problem p) {
            return new Result(p.status(), "application/problem+json", "", null, p.body(), false);
        }

        Result markedReplayed() {
            return new Result(status, contentType, location, etag, body, true);
        }

        static Result replay(StoredResponse r) {
            boolean problem = r.status() >= 400;
            return new Result(
                    r.status(),
                    problem ? "application/problem+json" : "application/json",
                    r.location(),
                    null,
                    r.body(),
                    true);
        }
    }
}
