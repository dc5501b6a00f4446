package io.tally.bench;

import io.tally.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The "scoreboard" scenario's game and its scorer, through the app's REST API as the console drives
 * it: {@code POST /api/games}, then {@code L} score events to fill its log, then, once the viewers
 * have joined, R score events/s for D s on one HTTP/1.1 keep-alive connection (each with
 * {@code If-Match} and an {@code Idempotency-Key}, as the console sends them). The k-th scoring post
 * makes version {@code baseVersion + k}; its send time is kept per k, so a viewer receiving that
 * version knows the latency from the scorer's tap to its screen whatever the live message's format.
 */
final class ScoreboardGame {
    /** The scorer token every bench instance is given (TALLY_ADMIN_TOKEN). */
    static final String TOKEN = "bench-scorer-token-not-a-secret";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;
    private final String id;
    private final long baseVersion;
    private volatile AtomicLongArray sentAt = new AtomicLongArray(1);
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile String firstFailure;
    private double[] postMillis = new double[0];
    private volatile boolean running;

    private ScoreboardGame(String base, String id, long baseVersion) {
        this.base = base;
        this.id = id;
        this.baseVersion = baseVersion;
    }

    /** Creates a game on {@code base} and gives it {@code log} score events. */
    static ScoreboardGame create(String base, int log) throws IOException, InterruptedException {
        ScoreboardGame probe = new ScoreboardGame(base, null, 0);
        Map<String, Object> created = probe.post(
                "/api/games",
                "{\"sport\":\"basketball\",\"home\":\"Harbour City\",\"away\":\"Northside\",\"period\":\"Q1\",\"status\":\"live\"}",
                null);
        @SuppressWarnings("unchecked")
        Map<String, Object> game = (Map<String, Object>) created.get("game");
        String id = (String) game.get("id");
        long version = ((Number) game.get("version")).longValue();
        for (int i = 0; i < log; i++) {
            probe.post("/api/games/" + id + "/events", scoreEvent(version + 1), version);
            version++;
        }
        return new ScoreboardGame(base, id, version);
    }

    String id() {
        return id;
    }

    String room() {
        return "game-" + id;
    }

    long baseVersion() {
        return baseVersion;
    }

    /** The epoch ms at which the post making version {@code baseVersion + k} was sent, or NaN. */
    double sentAt(long k) {
        if (k < 1 || k >= sentAt.length()) return Double.NaN;
        long bits = sentAt.get((int) k);
        return bits == 0 ? Double.NaN : Double.longBitsToDouble(bits);
    }

    long ok() {
        return ok.get();
    }

    long failed() {
        return failed.get();
    }

    String firstFailure() {
        return firstFailure;
    }

    boolean running() {
        return running;
    }

    /** The scorer's request latencies (ms), sorted; call after it finished. */
    double[] postLatencies() {
        double[] l = Arrays.copyOf(postMillis, (int) Math.min(postMillis.length, ok.get() + failed.get()));
        Arrays.sort(l);
        return l;
    }

    /** Starts scoring R events/s for D s on a thread of its own, catching up when it falls behind schedule. */
    void score(double rate, double duration) {
        int total = (int) Math.round(rate * duration);
        sentAt = new AtomicLongArray(total + 1);
        postMillis = new double[total];
        running = true;
        Thread t = new Thread(
                () -> {
                    try {
                        long start = System.nanoTime();
                        double period = 1e9 / rate;
                        for (int k = 1; k <= total; k++) {
                            long wait = start + (long) ((k - 1) * period) - System.nanoTime();
                            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                            double sent = Publisher.epochMillis();
                            sentAt.set(k, Double.doubleToRawLongBits(sent));
                            long t0 = System.nanoTime();
                            try {
                                post("/api/games/" + id + "/events", scoreEvent(baseVersion + k), baseVersion + k - 1);
                                ok.incrementAndGet();
                            } catch (IOException | RuntimeException e) {
                                failed.incrementAndGet();
                                if (firstFailure == null) firstFailure = "post " + k + ": " + e.getMessage();
                            }
                            postMillis[k - 1] = (System.nanoTime() - t0) / 1e6;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        running = false;
                    }
                },
                "bench-scorer");
        t.setDaemon(true);
        t.start();
    }

    /** One point, home and away in turn. */
    private static String scoreEvent(long version) {
        return "{\"type\":\"score\",\"team\":\"" + (version % 2 == 0 ? "home" : "away") + "\",\"points\":1}";
    }

    private Map<String, Object> post(String path, String body, Long ifMatch) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) b.header("If-Match", "\"" + ifMatch + "\"");
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) throw new IOException(path + " answered " + r.statusCode() + ": " + r.body());
        return Json.parseObject(r.body(), 16);
    }
}
