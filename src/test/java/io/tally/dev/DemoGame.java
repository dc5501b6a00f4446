package io.tally.dev;

import io.tally.json.Json;
import io.tally.json.JsonWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The local run's demo: the sample game plays itself, so a fresh board moves. It scores through the
 * public REST API with the scorer token, as a scorer's program would; every viewer therefore sees
 * real events (and a page that is wrong about them would show it). Four periods of a few minutes,
 * a final whistle, a short pause, then a new game.
 */
final class DemoGame {
    static final String GAME = "sample";
    private static final List<String> PERIODS = List.of("Q1", "Q2", "Q3", "Q4");
    private static final int SCORES_PER_PERIOD = 24;

    private final String base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tally-demo");
        t.setDaemon(true);
        return t;
    });
    private int scores;
    private int pausedTicks;

    private DemoGame(String base, String token) {
        this.base = base;
        this.token = token;
    }

    static DemoGame start(String base, String token) {
        DemoGame demo = new DemoGame(base, token);
        demo.timer.schedule(demo::tick, 2, TimeUnit.SECONDS);
        return demo;
    }

    void stop() {
        timer.shutdownNow();
    }

    private void tick() {
        try {
            step();
        } catch (Exception e) {
            // The server may be stopping, or a scorer is using the console too: try again next tick.
        } finally {
            if (!timer.isShutdown())
                timer.schedule(this::tick, ThreadLocalRandom.current().nextLong(2_500, 6_000), TimeUnit.MILLISECONDS);
        }
    }

    @SuppressWarnings("unchecked")
    private void step() throws Exception {
        HttpResponse<String> got = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/games/" + GAME))
                        .timeout(Duration.ofSeconds(5))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (got.statusCode() != 200) return; // no sample game (TALLY_SAMPLE_GAME=false, or Redis kept none)
        Map<String, Object> game = (Map<String, Object>) ((Map<String, Object>) Json.parse(got.body())).get("game");
        String status = String.valueOf(game.get("status"));
        String period = String.valueOf(game.get("period"));
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (!status.equals("live")) {
            if (++pausedTicks < 4) return; // a short pause after the final whistle (or a scorer's Break)
            pausedTicks = 0;
            scores = 0;
            post(Map.of("type", "score", "team", "home", "set", 0));
            post(Map.of("type", "score", "team", "away", "set", 0));
            post(Map.of("type", "period", "period", PERIODS.get(0)));
            post(Map.of("type", "status", "status", "live"));
            startClock();
            return;
        }
        if (++scores % SCORES_PER_PERIOD == 0) {
            int next = PERIODS.indexOf(period) + 1;
            if (next <= 0 || next >= PERIODS.size()) {
                post(Map.of("type", "status", "status", "final"));
            } else {
                post(Map.of("type", "period", "period", PERIODS.get(next)));
                startClock();
            }
            return;
        }
        int r = random.nextInt(10);
        int points = r < 6 ? 2 : r < 8 ? 3 : 1;
        post(Map.of("type", "score", "team", random.nextBoolean() ? "home" : "away", "points", points));
    }

    /** A fresh period clock, where the server has clocks; a server without them refuses, which is fine. */
    private void startClock() throws Exception {
        if (post(Map.of("type", "clock", "action", "set", "ms", 600_000)) < 300)
            post(Map.of("type", "clock", "action", "start"));
    }

    private int post(Map<String, Object> event) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/games/" + GAME + "/events"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(JsonWriter.write(event)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
