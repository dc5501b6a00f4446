package io.tally.e2e.scenarios;

import io.tally.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The REST API through the balancer, as a second scorer's program would use it: every write with an
 * Idempotency-Key, retried with the same key while the environment heals (a killed instance still
 * in the balancer, Redis restarting, the write rate limit), so a score is applied exactly once.
 */
public final class TallyApi {
    private static final Duration RETRY_FOR = Duration.ofSeconds(60);
    private final URI base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TallyApi(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** Creates a game; returns its id. */
    public String createGame(String home, String away) {
        Map<String, Object> game = gameOf(write(
                "/api/games",
                "{\"sport\":\"basketball\",\"home\":" + quote(home) + ",\"away\":" + quote(away)
                        + ",\"status\":\"live\"}"));
        return (String) game.get("id");
    }

    /** Creates a game of {@code sport} (a preset id) in {@code status}; returns its id. */
    public String createGame(String sport, String home, String away, String status) {
        Map<String, Object> game = gameOf(write(
                "/api/games",
                "{\"sport\":" + quote(sport) + ",\"home\":" + quote(home) + ",\"away\":" + quote(away) + ",\"status\":"
                        + quote(status) + "}"));
        return (String) game.get("id");
    }

    /** Adds {@code points} to a team ("home" or "away"); returns the game's new version. */
    public int score(String gameId, String team, int points) {
        Map<String, Object> game = gameOf(write(
                "/api/games/" + gameId + "/events",
                "{\"type\":\"score\",\"team\":\"" + team + "\",\"points\":" + points + "}"));
        return ((Number) game.get("version")).intValue();
    }

    /** A clock event: {@code action} start, stop or set ({@code ms} the reading, for set; else null). */
    public Map<String, Object> clock(String gameId, String action, Long ms) {
        return gameOf(write(
                "/api/games/" + gameId + "/events",
                "{\"type\":\"clock\",\"action\":" + quote(action) + (ms == null ? "" : ",\"ms\":" + ms) + "}"));
    }

    /** The game as the server has it (with its log of the last 50 events). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> game(String gameId) {
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        while (true) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(base.resolve("/api/games/" + gameId))
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200)
                    return (Map<String, Object>) ((Map<String, Object>) Json.parse(r.body())).get("game");
                if (r.statusCode() < 500)
                    throw new IllegalStateException("GET game " + gameId + ": " + r.statusCode() + " " + r.body());
            } catch (IOException e) {
                // retried below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause(deadline, "GET game " + gameId);
        }
    }

    public static int homeScore(Map<String, Object> game) {
        return team(game, "home");
    }

    public static int awayScore(Map<String, Object> game) {
        return team(game, "away");
    }

    @SuppressWarnings("unchecked")
    private static int team(Map<String, Object> game, String side) {
        return ((Number) ((Map<String, Object>) game.get(side)).get("score")).intValue();
    }

    public static int version(Map<String, Object> game) {
        return ((Number) game.get("version")).intValue();
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> log(Map<String, Object> game) {
        return (List<Map<String, Object>>) game.get("log");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> gameOf(String body) {
        return (Map<String, Object>) ((Map<String, Object>) Json.parse(body)).get("game");
    }

    private String write(String path, String json) {
        String key = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        String last = "";
        while (true) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(base.resolve(path))
                                .timeout(Duration.ofSeconds(10))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .header("Idempotency-Key", key)
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                int s = r.statusCode();
                if (s == 200 || s == 201) return r.body();
                last = s + " " + r.body();
                // 409 idempotency-in-progress, 429 and 5xx are worth a retry with the same key; the rest is a bug.
                boolean retry = s >= 500 || s == 429 || (s == 409 && r.body().contains("idempotency-in-progress"));
                if (!retry) throw new IllegalStateException("POST " + path + " " + json + ": " + last);
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause(deadline, "POST " + path + " " + json + " (last: " + last + ")");
        }
    }

    private static void pause(long deadline, String what) {
        if (System.nanoTime() - deadline >= 0) throw new IllegalStateException("gave up retrying " + what);
        try {
            Thread.sleep(250); // retry interval of a client program, not a wait for the page
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
