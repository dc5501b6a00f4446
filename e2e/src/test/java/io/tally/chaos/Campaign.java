package io.tally.chaos;

import io.tally.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * A seeded, randomised fault campaign: two instances and Redis ({@link Deployment}), viewers
 * hopping between instances and transports, writers posting scores through the REST API, and a
 * fault drawn by the seeded RNG every round until the time is up. Then everything heals, the
 * writers finish, every viewer must catch up, and the {@link Checker} judges the logs. The seed
 * fixes the schedule (which faults, where, how long); the timing is the machine's.
 */
final class Campaign {
    /**
     * @param eachOnce instead of drawing faults until {@code duration} is over, inject each fault of
     *                 {@code faults} once, in an order drawn by the seed (a kill first, so the killed
     *                 instance restarts while the other rounds go on): the short campaign CI runs
     */
    record Options(
            long seed,
            Duration duration,
            Set<Fault> faults,
            int viewers,
            int writers,
            double writesPerSecond,
            boolean eachOnce,
            PrintStream out) {
        static Options of(long seed, Duration duration, Set<Fault> faults, PrintStream out) {
            return new Options(seed, duration, faults, 24, 3, 6, false, out);
        }
    }

    record Result(
            long seed, Checker checker, Map<Fault, Integer> injected, long wallMillis, Path runDir, String table) {}

    private static final String[] TRANSPORTS = {"ws", "poll"};

    private final Options o;
    private final Random rng;
    private final PrintStream out;
    private long t0;
    private java.util.concurrent.CompletableFuture<Void> restarting =
            java.util.concurrent.CompletableFuture.completedFuture(null);
    private int restartingInstance = -1;

    Campaign(Options options) {
        this.o = options;
        this.rng = new Random(options.seed());
        this.out = options.out();
    }

    Result run() throws IOException {
        long started = System.currentTimeMillis();
        boolean clustered = o.faults().stream().anyMatch(Fault::cluster);
        if (clustered && o.faults().stream().anyMatch(Fault::oneServer))
            throw new IllegalArgumentException("cluster faults and one-server Redis faults need separate campaigns");
        Map<String, String> env = Map.of(
                "TALLY_HEARTBEAT_MS", "2000",
                "TALLY_PEER_TIMEOUT_MS", "2000",
                "TALLY_POLL_HOLD_MS", "3000",
                "TALLY_STORE_CHECK_MS", "1000");
        out.printf(
                "chaos: seed %d, %d s of faults from %s; starting %s and two Tomcats...%n",
                o.seed(),
                o.duration().toSeconds(),
                o.faults().stream().map(Fault::label).collect(Collectors.joining(",")),
                clustered ? "a Redis Cluster (3 masters, 3 replicas)" : "Redis (AOF)");
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "chaos-timers");
            t.setDaemon(true);
            return t;
        });
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        Viewer.handshakeTimeout = Duration.ofSeconds(15); // a loaded CI machine, not a browser's patience
        try (Deployment d = Deployment.start(
                "campaign-seed" + o.seed() + (clustered ? "-cluster" : ""), true, clustered, env, "256m")) {
            t0 = System.currentTimeMillis();
            out.printf("chaos: deployment up in %.1f s (%s)%n", (t0 - started) / 1000.0, d.runDir());
            List<String> games = List.of(createGame(d, "Hawks", "Foxes"), createGame(d, "Lions", "Bears"));

            List<Viewer> viewers = new ArrayList<>();
            Viewer.Router router = (v, r, afterFailure) -> {
                int i = r.nextInt(d.instances());
                boolean relayed = r.nextBoolean();
                boolean ws = r.nextInt(10) < 6;
                return new Viewer.Target(
                        d.url(i, relayed),
                        ws,
                        Deployment.instanceId(i) + "/" + (ws ? "ws" : "poll") + (relayed ? "/relay" : ""));
            };
            for (int i = 0; i < o.viewers(); i++) {
                String game = games.get(i % games.size());
                Viewer v = new Viewer(
                        i,
                        "game-" + game,
                        o.seed() * 1_000 + i,
                        router,
                        timers,
                        client,
                        true,
                        300,
                        1_500,
                        200,
                        3_000,
                        t0);
                v.start(snapshotPosition(d, game, i % d.instances()));
                viewers.add(v);
            }

            List<Writer> writers = new ArrayList<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Thread> writerThreads = new ArrayList<>();
            for (int w = 0; w < o.writers(); w++) {
                Writer writer = new Writer(w, o.seed() * 7_919 + w, i -> d.url(i, false), d.instances(), t0);
                writers.add(writer);
                Random pick = new Random(o.seed() * 31 + w);
                long gap = (long) (1_000 * o.writers() / o.writesPerSecond());
                Thread t = new Thread(
                        () -> {
                            while (writing.get()) {
                                long at = System.currentTimeMillis();
                                writer.score(
                                        games.get(pick.nextInt(games.size())), System.currentTimeMillis() + 90_000);
                                long left = gap - (System.currentTimeMillis() - at);
                                if (left > 0) Writer.sleep(left);
                            }
                        },
                        "chaos-writer-" + w);
                t.setDaemon(true);
                t.start();
                writerThreads.add(t);
            }

            List<Checker.Round> rounds = new ArrayList<>();
            Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
            List<Fault> kinds = new ArrayList<>(o.faults());
            rounds.add(new Checker.Round(Fault.NONE.label(), 0, "warm-up"));
            Writer.sleep(3_000);
            long end = t0 + o.duration().toMillis();
            List<Fault> plan = new ArrayList<>();
            if (o.eachOnce()) {
                java.util.Collections.shuffle(kinds, rng);
                if (kinds.remove(Fault.KILL_INSTANCE)) kinds.add(0, Fault.KILL_INSTANCE);
                plan.addAll(kinds);
            }
            int n = 0;
            while (o.eachOnce() ? n < plan.size() : System.currentTimeMillis() < end && !kinds.isEmpty()) {
                Fault f = o.eachOnce() ? plan.get(n) : kinds.get(rng.nextInt(kinds.size()));
                long at = System.currentTimeMillis() - t0;
                String detail = inject(d, f, viewers, games);
                rounds.add(new Checker.Round(f.label(), at, detail));
                injected.merge(f, 1, Integer::sum);
                awaitReady(d);
                n++;
                long quiet = 1_000 + rng.nextInt(1_500);
                Writer.sleep(quiet);
                long msgs = viewers.stream().mapToLong(v -> v.messages).sum();
                long acks = writers.stream().mapToLong(w -> w.acks.size()).sum();
                out.printf(
                        "[%5.1f s] round %d: %-20s %s · delivered %d · writes acknowledged %d%n",
                        at / 1000.0, n, f.label(), detail, msgs, acks);
            }

            // Heal, let the writers finish, and give every viewer the chance to catch up.
            long settleAt = System.currentTimeMillis() - t0;
            rounds.add(new Checker.Round("settle", settleAt, "writers stop, viewers catch up"));
            writing.set(false);
            awaitRestarts();
            for (Thread t : writerThreads) join(t);
            d.awaitReady(Duration.ofSeconds(90));
            Map<String, Map<?, ?>> finals = new java.util.LinkedHashMap<>();
            for (String g : games) finals.put(g, snapshot(d, g, 0));
            for (Viewer v : viewers) {
                Pos tip = Pos.of(finals.get(v.room.substring("game-".length())).get("position"));
                try {
                    io.tally.testing.Await.until(
                            "viewer " + v.id + " at " + tip,
                            Duration.ofSeconds(30),
                            () -> v.position() != null && v.position().reached(tip));
                } catch (IllegalStateException late) {
                    out.println("chaos: viewer " + v.id + " did not catch up: at " + v.position() + ", room at " + tip);
                }
            }
            viewers.forEach(Viewer::stop);

            Checker checker = new Checker(rounds);
            for (String g : games) {
                List<List<Viewer.Entry>> logs = viewers.stream()
                        .filter(v -> v.room.equals("game-" + g))
                        .map(Viewer::log)
                        .toList();
                List<Writer.Ack> acks = writers.stream()
                        .flatMap(w -> w.acks.stream())
                        .filter(a -> a.game().equals(g))
                        .toList();
                List<Writer.Unknown> unknown = writers.stream()
                        .flatMap(w -> w.unknown.stream())
                        .filter(a -> a.game().equals(g))
                        .toList();
                checker.checkRoom("game-" + g, logs, acks);
                Map<?, ?> game = (Map<?, ?>) finals.get(g).get("game");
                checker.checkGame(
                        g,
                        acks,
                        unknown,
                        Viewer.num(((Map<?, ?>) game.get("home")).get("score"), -1),
                        Viewer.num(((Map<?, ?>) game.get("away")).get("score"), -1),
                        logs,
                        settleAt);
            }
            checker.writesRefused = writers.stream().mapToInt(w -> w.refused).sum();
            writeLogs(d.runDir(), viewers, writers, rounds);
            Files.writeString(
                    d.runDir().resolve("client-logs/findings.log"),
                    checker.findings.stream()
                            .map(f -> String.format("%8.1f s  %-20s %s", f.t() / 1000.0, f.kind(), f.detail()))
                            .collect(Collectors.joining("\n")));
            String table = Summary.table(checker, writers, o.seed(), System.currentTimeMillis() - started);
            out.println(table);
            if (!checker.passed()) {
                out.println("FINDINGS (" + checker.findings.size() + ", by kind " + checker.findingKinds() + "):");
                checker.findings.stream()
                        .limit(40)
                        .forEach(f -> out.printf("  %8.1f s  %-20s %s%n", f.t() / 1000.0, f.kind(), f.detail()));
            }
            out.println("chaos: logs under " + d.runDir() + "; verdict " + (checker.passed() ? "PASS" : "FAIL")
                    + " (seed " + o.seed() + ")");
            return new Result(o.seed(), checker, injected, System.currentTimeMillis() - started, d.runDir(), table);
        } finally {
            timers.shutdownNow();
        }
    }

    private String inject(Deployment d, Fault f, List<Viewer> viewers, List<String> games) {
        switch (f) {
            case KILL_INSTANCE -> {
                int i = rng.nextInt(d.instances());
                long down = 500 + rng.nextInt(2_500);
                // One instance at a time: the other must be serving (or the kill waits until it is).
                awaitRestarts();
                d.kill(i);
                Writer.sleep(down);
                long at = System.currentTimeMillis();
                // The restart (10-40 s of Tomcat start-up on a loaded box) runs while the next rounds go on.
                restarting = java.util.concurrent.CompletableFuture.runAsync(() -> {
                    d.start(i);
                    out.printf(
                            "          %s back after %.1f s of start-up%n",
                            Deployment.instanceId(i), (System.currentTimeMillis() - at) / 1000.0);
                });
                restartingInstance = i;
                return String.format("%s killed, restart begun after %.1f s", Deployment.instanceId(i), down / 1000.0);
            }
            case FREEZE_INSTANCE -> {
                int i = rng.nextInt(d.instances());
                if (!d.isRunning(i)) i = 1 - i;
                long frozen = 2_000 + rng.nextInt(5_000);
                d.freeze(i, true);
                Writer.sleep(frozen);
                d.freeze(i, false);
                return String.format("%s frozen %.1f s", Deployment.instanceId(i), frozen / 1000.0);
            }
            case REDIS_RESTART_AOF, REDIS_RESTART_EMPTY -> {
                long at = System.currentTimeMillis();
                d.redis().restart(f == Fault.REDIS_RESTART_AOF);
                return String.format("back in %.1f s", (System.currentTimeMillis() - at) / 1000.0);
            }
            case REDIS_BLACKHOLE -> {
                long dark = 2_000 + rng.nextInt(3_000);
                int links = d.redisRelay().blackhole(true);
                Writer.sleep(dark);
                d.redisRelay().light();
                return String.format("%d connections silenced, dark %.1f s", links, dark / 1000.0);
            }
            case VIEWER_BLACKHOLE -> {
                int i = rng.nextInt(d.instances());
                int links = d.viewerRelay(i).blackhole(false);
                return links + " viewer connections to " + Deployment.instanceId(i) + " silenced";
            }
            case SLOW_VIEWERS -> {
                long ms = 2_000 + rng.nextInt(4_000);
                int count = 0;
                for (Viewer v : viewers)
                    if (rng.nextInt(3) == 0) {
                        v.slowDown(ms);
                        count++;
                    }
                Writer.sleep(ms);
                return String.format("%d viewers not reading for %.1f s", count, ms / 1000.0);
            }
            case THROTTLED_VIEWERS -> {
                long ms = 6_000 + rng.nextInt(6_000);
                long lag = 3_000 + rng.nextInt(3_000);
                int count = 0;
                for (Viewer v : viewers)
                    if (rng.nextInt(3) == 0) {
                        v.throttle(ms, lag);
                        count++;
                    }
                Writer.sleep(ms);
                return String.format("%d viewers throttled %.1f s (lag %.1f s)", count, ms / 1000.0, lag / 1000.0);
            }
            case CLUSTER_FAILOVER -> {
                return d.cluster().failover(clusterTarget(games), rng.nextBoolean());
            }
            case CLUSTER_RESHARD -> {
                // A watched room's slot always (its sharded subscriptions must follow), then either the
                // games' slot or the slot of an instance's control channel (its subscriber's heartbeats).
                String room = "tally:{game-" + games.get(rng.nextInt(games.size())) + "}:ch";
                String moved = d.cluster().moveSlot(room, rng, 500 + rng.nextInt(2_000));
                List<String> control = d.cluster().controlChannels();
                String second = rng.nextBoolean() || control.isEmpty()
                        ? "tally:{games}:version"
                        : control.get(rng.nextInt(control.size()));
                return moved + "; " + d.cluster().moveSlot(second, rng, 500);
            }
            default -> {
                Writer.sleep(2_000);
                return "";
            }
        }
    }

    /** A key of the slot a cluster fault hits: one of the games' rooms, or the games' store (half the time). */
    private String clusterTarget(List<String> games) {
        int pick = rng.nextInt(games.size() * 3 / 2 + 1);
        return pick < games.size() ? "tally:{game-" + games.get(pick) + "}:ch" : "tally:{games}:version";
    }

    private void awaitRestarts() {
        restarting.join();
        restartingInstance = -1;
    }

    /** Every instance that is not being restarted answers /readyz with 200. */
    private void awaitReady(Deployment d) {
        for (int i = 0; i < d.instances(); i++) {
            if (i == restartingInstance && !restarting.isDone()) continue;
            String base = d.url(i, false);
            io.tally.testing.Await.until(
                    Deployment.instanceId(i) + " ready",
                    Duration.ofSeconds(90),
                    () -> Http.get(base + "/readyz", 2_000).status() == 200);
        }
    }

    static String createGame(Deployment d, String home, String away) {
        String body =
                "{\"sport\":\"basketball\",\"home\":\"" + home + "\",\"away\":\"" + away + "\",\"status\":\"live\"}";
        try {
            Http.Response r = Http.post(
                    d.url(0, false) + "/api/games",
                    body,
                    10_000,
                    "Authorization",
                    "Bearer " + Deployment.TOKEN,
                    "Idempotency-Key",
                    "chaos-create-" + home + System.nanoTime());
            if (r.status() != 201) throw new IllegalStateException("create game: HTTP " + r.status() + " " + r.body());
            return ((Map<?, ?>) ((Map<?, ?>) Json.parse(r.body())).get("game"))
                    .get("id")
                    .toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<?, ?> snapshot(Deployment d, String game, int instance) {
        return io.tally.testing.Await.value("snapshot of " + game, Duration.ofSeconds(30), () -> {
            Http.Response r = Http.get(d.url(instance, false) + "/api/games/" + game, 3_000);
            return r.status() == 200 ? (Map<?, ?>) Json.parse(r.body()) : null;
        });
    }

    static Pos snapshotPosition(Deployment d, String game, int instance) {
        return Pos.of(snapshot(d, game, instance).get("position"));
    }

    private static void join(Thread t) {
        try {
            t.join(120_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The raw client logs, one JSON line per entry, for a human to read after a failed run. */
    private static void writeLogs(Path dir, List<Viewer> viewers, List<Writer> writers, List<Checker.Round> rounds) {
        try {
            Path logs = Files.createDirectories(dir.resolve("client-logs"));
            for (Viewer v : viewers) {
                StringBuilder b = new StringBuilder();
                for (Viewer.Entry e : v.log()) {
                    b.append(e.kind())
                            .append(' ')
                            .append(e.t())
                            .append(' ')
                            .append(e.session())
                            .append(' ')
                            .append(e.via())
                            .append(' ')
                            .append(e.pos())
                            .append(" v")
                            .append(e.version())
                            .append(' ')
                            .append(e.detail())
                            .append('\n');
                }
                Files.writeString(logs.resolve("viewer-" + v.id + "-" + v.room + ".log"), b);
            }
            StringBuilder w = new StringBuilder();
            for (Writer writer : writers)
                for (Writer.Ack a : writer.acks) w.append(a).append('\n');
            for (Writer writer : writers)
                for (Writer.Unknown u : writer.unknown) w.append(u).append('\n');
            Files.writeString(logs.resolve("writes.log"), w);
            Files.writeString(
                    logs.resolve("rounds.log"),
                    rounds.stream().map(Object::toString).collect(Collectors.joining("\n")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
