package io.tally.standin;

import static io.tally.testing.Frames.data;
import static io.tally.testing.Frames.epoch;
import static io.tally.testing.Frames.map;
import static io.tally.testing.Frames.offset;
import static io.tally.testing.Frames.parse;
import static io.tally.testing.Frames.position;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.Http;
import io.tally.testing.RawWebSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart of the stand-in (HAProxy → nginx → Tomcat ×2 → Redis) under 500 viewers on
 * WebSocket while a scorer keeps scoring: each Tomcat in turn gets SIGTERM, drains, and comes back.
 * Every viewer ends with every score once, in order; the viewers of a stopping instance are told
 * to reconnect, and their reconnections spread over the drain window.
 */
class RollingRestartIT {
    private static final int VIEWERS = Integer.getInteger("tally.rolling.viewers", 500);
    /** TALLY_DRAIN_WINDOW_MS (10 s by default), shortened: six one-second buckets still show a spike. */
    private static final int WINDOW_MS = 6_000;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Viewer> viewers = new ArrayList<>();
    /** Connecting and closing block (handshake, close frame): off the pumping thread, so 500 viewers keep up. */
    private final ExecutorService io = Executors.newFixedThreadPool(16);

    private StandIn standIn;

    @AfterEach
    void stop() throws InterruptedException {
        io.shutdownNow();
        io.awaitTermination(10, TimeUnit.SECONDS);
        viewers.forEach(Viewer::close);
        if (standIn != null) standIn.close();
    }

    @Test
    void aRollingRestartUnder500ViewersLosesAndDuplicatesNothingAndSpreadsTheReconnects() throws Exception {
        standIn = StandIn.start(StandInOptions.defaults()
                .instances(2)
                .env("TALLY_DRAIN_WINDOW_MS", Integer.toString(WINDOW_MS))
                .env("TALLY_DRAIN_GRACE_MS", "5000")
                .env("TALLY_MAX_CONNECTIONS_PER_ADDRESS", "5000") // every viewer comes from 127.0.0.1 here
                .env("TALLY_WRITE_RATE", "200")
                .env("TALLY_WRITE_BURST", "400"));
        String base = standIn.url().toString().replaceAll("/$", "");
        String wsUrl = base.replaceFirst("^http", "ws") + "/live/ws";
        String token = standIn.adminToken();

        Map<String, Object> created =
                parse(write(base + "/api/games", token, "{\"home\":\"Hawks\",\"away\":\"Foxes\",\"status\":\"live\"}")
                        .body());
        String room = "game-" + map(created.get("game")).get("id");
        Map<String, Object> since = map(created.get("position"));

        for (int i = 0; i < VIEWERS; i++)
            viewers.add(new Viewer(wsUrl, room, (String) since.get("epoch"), (String) since.get("offset")));
        pumpUntil(() -> viewers.stream().allMatch(Viewer::live), Duration.ofSeconds(120), "every viewer subscribed");

        Scorer scorer = startScorer(base, token, created);
        for (int i = 0; i < standIn.instances(); i++) {
            String id = standIn.instanceId(i);
            long connected = viewers.stream().filter(v -> id.equals(v.instance)).count();
            long t0 = System.nanoTime();
            int stopping = i;
            CompletableFuture<Void> stopped =
                    CompletableFuture.runAsync(() -> standIn.stopTomcat(stopping, Duration.ofSeconds(30)));
            pumpUntil(
                    () -> stopped.isDone()
                            && viewers.stream().allMatch(Viewer::live)
                            && viewers.stream().noneMatch(v -> id.equals(v.instance)),
                    Duration.ofSeconds(180),
                    "viewers of " + id + " moved");
            stopped.get();
            System.out.println("RollingRestartIT: " + id + " had " + connected
                    + " viewers; stopped, and all of them resumed elsewhere, within "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
            CompletableFuture<Void> started = CompletableFuture.runAsync(() -> standIn.startTomcat(stopping));
            pumpUntil(started::isDone, Duration.ofSeconds(120), id + " back");
            started.get();
        }

        long last = finish(scorer);

        long told = viewers.stream().mapToLong(v -> v.toldToReconnect).sum();
        long cut = viewers.stream().mapToLong(v -> v.cutWithoutNotice).sum();
        long[] delays = viewers.stream()
                .flatMapToLong(v -> v.delays.stream().mapToLong(Long::longValue))
                .toArray();
        System.out.println("RollingRestartIT: " + last + " scores, " + told + " reconnect frames, " + cut
                + " connections lost without one, "
                + viewers.stream().mapToLong(v -> v.refused).sum()
                + " refused reconnect attempts; reconnect curve (per second of the window): "
                + Arrays.toString(curve(delays)));
        assertTrue(told >= VIEWERS, "every viewer was on a stopped instance once and was told: " + told);
        assertEquals(0, cut, "no viewer lost its connection without being told to reconnect");
        assertSpread(delays);
    }

    /** The scorer's run: its thread and the last version it saw applied. */
    private record Scorer(AtomicBoolean scoring, AtomicLong lastVersion, CompletableFuture<Void> done) {}

    /**
     * The scorer: one event every 40 ms; a failed request is retried with the same
     * Idempotency-Key until it succeeds, so every event is applied exactly once.
     */
    private Scorer startScorer(String base, String token, Map<String, Object> created) {
        AtomicBoolean scoring = new AtomicBoolean(true);
        AtomicLong lastVersion = new AtomicLong(1);
        String eventsUrl = base + "/api/games/" + map(created.get("game")).get("id") + "/events";
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            while (scoring.get()) {
                String key = UUID.randomUUID().toString();
                while (true) {
                    try {
                        HttpResponse<String> r = write(
                                eventsUrl,
                                token,
                                "{\"type\":\"score\",\"team\":\"home\",\"points\":1}",
                                "Idempotency-Key",
                                key);
                        if (r.statusCode() == 200) {
                            lastVersion.set(
                                    (Long) map(parse(r.body()).get("game")).get("version"));
                            break;
                        }
                    } catch (AssertionError connectionFailed) {
                        // An instance going away under the request: retry, the key makes it safe.
                    }
                    sleep(100);
                }
                sleep(40);
            }
        });
        return new Scorer(scoring, lastVersion, done);
    }

    /** Stops scoring, waits until every viewer has the last score and checks each got every score once, in order. */
    private long finish(Scorer scorer) throws Exception {
        sleep(500);
        scorer.scoring().set(false);
        scorer.done().get(30, TimeUnit.SECONDS);
        long last = scorer.lastVersion().get();
        pumpUntil(
                () -> viewers.stream().allMatch(v -> v.lastVersion() >= last),
                Duration.ofSeconds(60),
                "every viewer caught up");
        List<Long> expected = new ArrayList<>();
        for (long v = 2; v <= last; v++) expected.add(v);
        for (Viewer v : viewers) assertEquals(expected, v.versions, "viewer " + v.n + ": every score once, in order");
        return last;
    }

    // ----- Deployments as Beanstalk runs them: the ALB deregisters a batch, waits its delay, cuts what is left; then
    // Tomcat stops.

    private static final int DEPLOY_VIEWERS = Integer.getInteger("tally.deploy.viewers", 300);
    /** The target group's DeregistrationDelay, shortened (60 s in .ebextensions). */
    private static final Duration DEREGISTRATION_DELAY = Duration.ofSeconds(9);
    /**
     * TALLY_LB_SILENCE_MS for these runs: the shortest that still means something with checks every
     * second, as the silence must also last twice the longest gap between checks.
     */
    private static final int SILENCE_MS = 2_000;
    /** TALLY_DRAIN_WINDOW_MS for these runs: the silence plus the window fits in the delay with 2 s to spare. */
    private static final int MOVE_WINDOW_MS = 5_000;

    /** When each viewer's connection was welcomed, and by which instance: the reconnect rate on the survivors. */
    private final List<Welcome> welcomes = new ArrayList<>();

    private record Welcome(long nanos, String instance) {}

    @Test
    void aRollingDeploymentMovesEveryViewerInsideTheDeregistrationDelay() throws Exception {
        deployment(false);
    }

    @Test
    void aRollingDeploymentWithAnAdditionalBatchMovesEveryViewerInsideTheDeregistrationDelay() throws Exception {
        deployment(true);
    }

    /**
     * Rolling (batch size 1 of 2 instances) or Rolling with additional batch (a third instance is
     * launched first and terminated at the end), under viewers and a scorer. Each batch is
     * deregistered (HAProxy: drain, health checks stop), the delay runs, what is left is cut, then
     * Tomcat stops and, unless terminated, starts and is registered again.
     */
    private void deployment(boolean additionalBatch) throws Exception {
        String policy = additionalBatch ? "Rolling with additional batch" : "Rolling";
        standIn = StandIn.start(StandInOptions.defaults()
                .instances(additionalBatch ? 3 : 2)
                .env("TALLY_DRAIN_WINDOW_MS", Integer.toString(MOVE_WINDOW_MS))
                .env("TALLY_LB_SILENCE_MS", Integer.toString(SILENCE_MS))
                .env("TALLY_DRAIN_GRACE_MS", "5000")
                .env("TALLY_MAX_CONNECTIONS_PER_ADDRESS", "5000") // every viewer comes from 127.0.0.1 here
                .env("TALLY_WRITE_RATE", "200")
                .env("TALLY_WRITE_BURST", "400"));
        if (additionalBatch) { // the additional batch does not exist before the deployment
            standIn.deregisterInstance(2);
            standIn.endDeregistration(2);
            standIn.stopTomcat(2, Duration.ofSeconds(10));
        }
        String base = standIn.url().toString().replaceAll("/$", "");
        String wsUrl = base.replaceFirst("^http", "ws") + "/live/ws";
        String token = standIn.adminToken();
        Map<String, Object> created =
                parse(write(base + "/api/games", token, "{\"home\":\"Hawks\",\"away\":\"Foxes\",\"status\":\"live\"}")
                        .body());
        String room = "game-" + map(created.get("game")).get("id");
        Map<String, Object> since = map(created.get("position"));
        for (int i = 0; i < DEPLOY_VIEWERS; i++)
            viewers.add(new Viewer(wsUrl, room, (String) since.get("epoch"), (String) since.get("offset")));
        pumpUntil(() -> viewers.stream().allMatch(Viewer::live), Duration.ofSeconds(120), "every viewer subscribed");
        Scorer scorer = startScorer(base, token, created);

        List<String> batches = new ArrayList<>();
        if (additionalBatch) {
            standIn.registerInstance(2);
            pumpWhile(
                    CompletableFuture.runAsync(() -> standIn.startTomcat(2)),
                    Duration.ofSeconds(120),
                    "the additional batch launched");
        }
        for (int i = 0; i < 2; i++) batches.add(deregisterDeploy(i, true));
        if (additionalBatch) batches.add(deregisterDeploy(2, false));

        long last = finish(scorer);
        long told = viewers.stream().mapToLong(v -> v.toldToReconnect).sum();
        long cut = viewers.stream().mapToLong(v -> v.cutWithoutNotice).sum();
        long longestGap =
                viewers.stream().mapToLong(v -> v.longestGapNanos).max().orElse(0);
        long[] offline = viewers.stream()
                .flatMapToLong(v -> v.offlineNanos.stream().mapToLong(Long::longValue))
                .sorted()
                .toArray();
        String offlineFigures = offline.length == 0
                ? "none"
                : "median " + TimeUnit.NANOSECONDS.toMillis(offline[offline.length / 2])
                        + " ms, p99 " + TimeUnit.NANOSECONDS.toMillis(offline[offline.length * 99 / 100])
                        + " ms, longest " + TimeUnit.NANOSECONDS.toMillis(offline[offline.length - 1]) + " ms";
        System.out.println("RollingRestartIT [" + policy + "]: " + DEPLOY_VIEWERS + " viewers, " + last
                + " scores (each viewer got each once, in order), "
                + told + " reconnect frames, " + cut + " connections cut by the balancer, longest gap a viewer saw "
                + TimeUnit.NANOSECONDS.toMillis(longestGap)
                + " ms between two messages; time between leaving an instance and being"
                + " subscribed on another (includes the told reconnect delay): " + offlineFigures
                + "; refused reconnect attempts "
                + viewers.stream().mapToLong(v -> v.refused).sum() + "; per batch: " + String.join("; ", batches));
        assertEquals(0, cut, "no viewer was still on a deregistered instance when the delay ended");
        assertTrue(told >= DEPLOY_VIEWERS, "every viewer was on a deregistered instance once and was told: " + told);
    }

    /** One batch of one instance; returns its figures. */
    private String deregisterDeploy(int i, boolean comesBack) {
        String id = standIn.instanceId(i);
        long had = viewers.stream().filter(v -> id.equals(v.instance)).count();
        int firstWelcome = welcomes.size();
        long t0 = System.nanoTime();
        standIn.deregisterInstance(i);
        pumpUntil(
                () -> System.nanoTime() - t0 >= DEREGISTRATION_DELAY.toNanos(),
                DEREGISTRATION_DELAY.plusSeconds(30),
                "the deregistration delay");
        long left = viewers.stream().filter(v -> id.equals(v.instance)).count();
        standIn.endDeregistration(i);
        pumpWhile(
                CompletableFuture.runAsync(() -> standIn.stopTomcat(i, Duration.ofSeconds(30))),
                Duration.ofSeconds(60),
                id + " stopped");
        if (comesBack) {
            standIn.registerInstance(i);
            pumpWhile(CompletableFuture.runAsync(() -> standIn.startTomcat(i)), Duration.ofSeconds(120), id + " back");
        }
        long[] perSecond = new long[(int) DEREGISTRATION_DELAY.toSeconds()];
        for (Welcome w : welcomes.subList(firstWelcome, welcomes.size())) {
            long s = TimeUnit.NANOSECONDS.toSeconds(w.nanos() - t0);
            if (!id.equals(w.instance()) && s >= 0 && s < perSecond.length) perSecond[(int) s]++;
        }
        return id + ": " + had + " viewers, " + left
                + " left when the delay ended; reconnects per second on the others " + Arrays.toString(perSecond)
                + " (peak " + Arrays.stream(perSecond).max().orElse(0) + "/s)";
    }

    private void pumpWhile(CompletableFuture<Void> job, Duration limit, String what) {
        pumpUntil(job::isDone, limit, what);
        job.join();
    }

    /** The reconnect delays must cover the window: no second of it gets more than a quarter of the fleet. */
    private static void assertSpread(long[] delays) {
        long[] c = curve(delays);
        for (long n : c) assertTrue(n <= delays.length / 4, "a reconnect spike: " + Arrays.toString(c));
        long covered = Arrays.stream(c).filter(n -> n > 0).count();
        assertTrue(covered >= c.length * 8 / 10, "spread over the window: " + Arrays.toString(c));
    }

    private static long[] curve(long[] delays) {
        long[] perSecond = new long[WINDOW_MS / 1000];
        for (long d : delays) perSecond[(int) Math.min(perSecond.length - 1, d / 1000)]++;
        return perSecond;
    }

    private void pumpUntil(java.util.function.BooleanSupplier done, Duration limit, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + limit + ": " + what);
            boolean busy = false;
            for (Viewer v : viewers) busy |= v.pump();
            if (!busy) sleep(5);
        }
    }

    private HttpResponse<String> write(String url, String token, String body, String... extra) {
        String[] headers = new String[extra.length + 2];
        headers[0] = "Authorization";
        headers[1] = "Bearer " + token;
        System.arraycopy(extra, 0, headers, 2, extra.length);
        return Http.post(url, "application/json", body, headers);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * One viewer speaking the raw protocol, driven by {@link #pump} from the test thread: it keeps
     * its position, honours {@code reconnect} (closes, waits {@code after}, resumes through the
     * balancer) and retries refused connections with a little jitter, as the browser client does.
     */
    private final class Viewer {
        final int n = viewers.size();
        final String url;
        final String room;
        final List<Long> versions = new ArrayList<>();
        final List<Long> delays = new ArrayList<>();
        String epoch;
        String offset;
        volatile String instance;
        volatile RawWebSocket ws;
        volatile boolean connecting;
        volatile boolean acked;
        volatile long reconnectAt;
        long toldToReconnect;
        long cutWithoutNotice;
        long lastMessageNanos;
        long longestGapNanos;
        long offlineSinceNanos; // left a connection (told, cut or refused) and not yet subscribed again
        final List<Long> offlineNanos = new ArrayList<>();
        volatile long refused;

        Viewer(String url, String room, String epoch, String offset) {
            this.url = url;
            this.room = room;
            this.epoch = epoch;
            this.offset = offset;
            connectLater();
        }

        private void connectLater() {
            connecting = true;
            io.execute(this::connect);
        }

        boolean live() {
            return !connecting && ws != null && acked;
        }

        long lastVersion() {
            return versions.isEmpty() ? 1 : versions.get(versions.size() - 1);
        }

        /** On an io thread; the pumping thread leaves this viewer alone while {@code connecting}. */
        private void connect() {
            try {
                RawWebSocket s = RawWebSocket.connect(http, url);
                s.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"since\":" + position(epoch, offset)
                        + "}");
                acked = false;
                ws = s;
            } catch (RuntimeException refusedOrReset) {
                refused++;
                retryIn(200 + (long) (Math.random() * 500));
            } finally {
                connecting = false;
            }
        }

        private void retryIn(long ms) {
            if (offlineSinceNanos == 0) offlineSinceNanos = System.nanoTime();
            ws = null;
            acked = false;
            instance = null;
            reconnectAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        }

        /** Handles whatever has arrived; true if it did anything. */
        boolean pump() {
            if (connecting) return false;
            if (ws == null) {
                if (System.nanoTime() < reconnectAt) return false;
                connectLater();
                return true;
            }
            boolean closed = ws.isClosed(); // read first: frames that came before the close are all queued by now
            List<Map<String, Object>> frames = ws.drain(Duration.ZERO);
            for (Map<String, Object> f : frames) {
                switch ((String) f.get("type")) {
                    case "welcome" -> {
                        instance = (String) f.get("instance");
                        welcomes.add(new Welcome(System.nanoTime(), instance));
                    }
                    case "ack" -> {
                        acked = true;
                        if (offlineSinceNanos != 0) offlineNanos.add(System.nanoTime() - offlineSinceNanos);
                        offlineSinceNanos = 0;
                    }
                    case "message" -> {
                        Map<String, Object> d = data(f);
                        if ("event".equals(d.get("kind")))
                            versions.add((Long) map(d.get("game")).get("version"));
                        long now = System.nanoTime();
                        if (lastMessageNanos != 0) longestGapNanos = Math.max(longestGapNanos, now - lastMessageNanos);
                        lastMessageNanos = now;
                        epoch = epoch(f);
                        offset = offset(f);
                    }
                    case "reconnect" -> {
                        long after = (Long) f.get("after");
                        toldToReconnect++;
                        delays.add(after);
                        closeLater(ws);
                        retryIn(after);
                        return true;
                    }
                    case "reset" -> throw new AssertionError("viewer " + n + " was reset: " + f);
                    default -> {}
                }
            }
            if (closed) {
                cutWithoutNotice++;
                closeLater(ws);
                retryIn(200 + (long) (Math.random() * 500));
                return true;
            }
            return !frames.isEmpty();
        }

        private void closeLater(RawWebSocket s) {
            io.execute(s::close);
        }

        void close() {
            RawWebSocket s = ws;
            if (s != null) s.close();
        }
    }
}
