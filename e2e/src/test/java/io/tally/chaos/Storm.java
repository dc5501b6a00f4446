package io.tally.chaos;

import io.tally.standin.HaproxyBalancer;
import io.tally.testing.Await;
import io.tally.testing.Ports;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The reconnect storm: N WebSocket viewers on instance A, a few hundred on B, a scorer at 10 writes/s;
 * then kill -9 of A. A's viewers reconnect through the stand-in's balancer (HAProxy, health checks
 * every second) with the browser client's backoff (full jitter, 500 ms doubling to 30 s) and resume
 * from their positions. Measured: reconnect attempts and successes per second, B's own viewers'
 * delivery latency before and during the storm, and, once all is quiet, lost and duplicated
 * messages for every viewer.
 */
final class Storm {
    private static final int B_VIEWERS = 200;

    private final int viewers;
    private final PrintStream out;

    Storm(int viewers, PrintStream out) {
        this.viewers = viewers;
        this.out = out;
    }

    record Sample(long at, long latency) {}

    boolean run() throws IOException {
        out.printf(
                "storm: %d viewers on A, %d on B, 10 writes/s, then kill -9 of A; starting Redis, two Tomcats and HAProxy...%n",
                viewers, B_VIEWERS);
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "storm-timers");
            t.setDaemon(true);
            return t;
        });
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < 16; i++)
            clients.add(HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build());
        Viewer.handshakeTimeout = Duration.ofSeconds(15);
        HaproxyBalancer lb = null;
        Path sockDir = Files.createTempDirectory("chaos-storm-");
        try (Deployment d = Deployment.start("storm", false, Map.of(), "1g")) {
            lb = new HaproxyBalancer(
                    d.runDir().resolve("haproxy"),
                    sockDir.resolve("admin.sock"),
                    Ports.free(),
                    List.of(d.port(0), d.port(1)),
                    false,
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(1),
                    "/healthz");
            lb.start();
            lb.awaitUp(2, Duration.ofSeconds(60));
            String balancer = lb.url().toString();
            String game = Campaign.createGame(d, "Hawks", "Foxes");
            String room = "game-" + game;
            Pos start = Campaign.snapshotPosition(d, game, 1);
            long t0 = System.currentTimeMillis();

            ConcurrentLinkedQueue<Long> attempts = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Long> welcomes = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Sample> latencies = new ConcurrentLinkedQueue<>();
            List<Viewer> onA = new ArrayList<>();
            List<Viewer> onB = new ArrayList<>();
            // A's viewers were sent to A by the balancer once; after losing it they come back through the balancer.
            Viewer.Router toA =
                    (v, r, after) -> new Viewer.Target(after ? balancer : d.url(0, false), true, after ? "lb" : "a");
            Viewer.Router toB = (v, r, after) -> new Viewer.Target(d.url(1, false), true, "b");
            for (int i = 0; i < B_VIEWERS; i++) {
                Viewer v = new Viewer(
                        i, room, i, toB, timers, clients.get(i % clients.size()), false, 0, 0, 500, 30_000, t0);
                v.latencies(ms -> latencies.add(new Sample(System.currentTimeMillis(), ms)));
                v.start(start);
                onB.add(v);
            }
            for (int i = 0; i < viewers; i++) {
                Viewer v = new Viewer(
                        B_VIEWERS + i,
                        room,
                        1_000_000 + i,
                        toA,
                        timers,
                        clients.get(i % clients.size()),
                        false,
                        0,
                        0,
                        500,
                        30_000,
                        t0);
                v.attempts(attempts::add, welcomes::add);
                v.start(start);
                onA.add(v);
                if (i % 250 == 249) {
                    int n = i + 1;
                    Await.until(
                            n + " viewers connected to A",
                            Duration.ofSeconds(120),
                            () -> onA.subList(0, n).stream()
                                            .filter(Viewer::isConnected)
                                            .count()
                                    >= n);
                }
            }
            Await.until(
                    "all viewers connected",
                    Duration.ofSeconds(120),
                    () -> onA.stream().allMatch(Viewer::isConnected)
                            && onB.stream().allMatch(Viewer::isConnected));
            out.printf(
                    "storm: %d viewers connected to A, %d to B after %.1f s%n",
                    onA.size(), onB.size(), (System.currentTimeMillis() - t0) / 1000.0);

            AtomicBoolean writing = new AtomicBoolean(true);
            Writer writer = new Writer(0, 99, i -> d.url(1, false), 1, t0);
            Thread wt = new Thread(
                    () -> {
                        long next = System.currentTimeMillis();
                        while (writing.get()) {
                            writer.score(game, System.currentTimeMillis() + 60_000);
                            next += 100;
                            long left = next - System.currentTimeMillis();
                            if (left > 0) Writer.sleep(left);
                        }
                    },
                    "storm-writer");
            wt.setDaemon(true);
            wt.start();
            Writer.sleep(15_000);

            attempts.clear();
            welcomes.clear();
            long killAt = System.currentTimeMillis();
            d.kill(0);
            out.printf("storm: A killed at %.1f s%n", (killAt - t0) / 1000.0);
            long giveUp = killAt + 300_000;
            while (System.currentTimeMillis() < giveUp && onA.stream().anyMatch(v -> v.reconnectedAt < 0)) {
                Writer.sleep(10_000);
                out.printf(
                        "storm: %.0f s after the kill, %d of %d reconnected (connection endings %s)%n",
                        (System.currentTimeMillis() - killAt) / 1000.0,
                        onA.stream().filter(v -> v.reconnectedAt > 0).count(),
                        onA.size(),
                        Viewer.ENDINGS);
            }
            long back = onA.stream().filter(v -> v.reconnectedAt > 0).count();
            long allBack = onA.stream().mapToLong(v -> v.reconnectedAt).max().orElse(killAt);
            out.printf(
                    "storm: %d of %d reconnected, the last %.1f s after the kill%n",
                    back, onA.size(), (allBack - killAt) / 1000.0);
            Writer.sleep(5_000);
            writing.set(false);
            wt.join(70_000);

            Pos tip = Campaign.snapshotPosition(d, game, 1);
            List<Viewer> all = new ArrayList<>(onB);
            all.addAll(onA);
            try {
                Await.until("every viewer at " + tip, Duration.ofSeconds(60), () -> all.stream()
                        .allMatch(v -> v.position().reached(tip)));
            } catch (IllegalStateException late) {
                out.println("storm: "
                        + all.stream().filter(v -> !v.position().reached(tip)).count() + " viewers did not catch up");
            }
            long published = writer.acks.size();
            long lost = 0;
            long duplicated = 0;
            long behind = 0;
            for (Viewer v : all) {
                if (!v.position().reached(tip)) {
                    behind++; // never got back: counted apart, not as lost
                    continue;
                }
                long got = v.messages - v.duplicates - v.outOfOrder;
                lost += Math.max(0, published - got);
                duplicated += v.duplicates + v.outOfOrder;
            }
            all.forEach(Viewer::stop);

            StringBuilder report = new StringBuilder();
            report.append(String.format(
                    "%nstorm summary: %d viewers of A killed, %d on B; %d scores acknowledged and published, %d without a final answer%n",
                    onA.size(), onB.size(), published, writer.unknown.size()));
            long[] backIn = onA.stream()
                    .filter(v -> v.reconnectedAt > 0)
                    .mapToLong(v -> v.reconnectedAt - killAt)
                    .sorted()
                    .toArray();
            if (backIn.length == 0) backIn = new long[] {-1};
            report.append(String.format(
                    "reconnected after the kill: p50 %.1f s, p90 %.1f s, p99 %.1f s, last %.1f s%n",
                    pct(backIn, 50) / 1000.0,
                    pct(backIn, 90) / 1000.0,
                    pct(backIn, 99) / 1000.0,
                    backIn[backIn.length - 1] / 1000.0));
            report.append("\n| second after kill | attempts | reconnected |\n|---:|---:|---:|\n");
            int seconds = (int) ((allBack - killAt) / 1000) + 1;
            long[] att = perSecond(attempts, killAt, seconds);
            long[] wel = perSecond(welcomes, killAt, seconds);
            for (int s = 0; s < seconds; s++) report.append(String.format("| %d | %d | %d |%n", s, att[s], wel[s]));
            long[] before = latencies.stream()
                    .filter(x -> x.at() < killAt && x.at() > killAt - 10_000)
                    .mapToLong(Sample::latency)
                    .sorted()
                    .toArray();
            long[] during = latencies.stream()
                    .filter(x -> x.at() >= killAt && x.at() <= allBack + 1_000)
                    .mapToLong(Sample::latency)
                    .sorted()
                    .toArray();
            report.append(String.format(
                    "%nB's own %d viewers, delivery latency (write acknowledged → frame read): before the kill (10 s) p50 %d ms, p99 %d ms, max %d ms (%d deliveries); "
                            + "during the storm p50 %d ms, p99 %d ms, max %d ms (%d deliveries)%n",
                    onB.size(),
                    pct(before, 50),
                    pct(before, 99),
                    pct(before, 100),
                    before.length,
                    pct(during, 50),
                    pct(during, 99),
                    pct(during, 100),
                    during.length));
            report.append(String.format(
                    "every viewer that caught up, once quiet: lost %d, duplicated or out of order %d, resets %d; not caught up: %d%n",
                    lost, duplicated, all.stream().mapToLong(v -> v.resets).sum(), behind));
            out.print(report);
            Files.writeString(d.runDir().resolve("storm-summary.md"), report);
            return lost == 0 && duplicated == 0 && behind == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (lb != null) lb.stop();
            timers.shutdownNow();
        }
    }

    private static long[] perSecond(ConcurrentLinkedQueue<Long> times, long from, int seconds) {
        long[] h = new long[seconds];
        for (long t : times) {
            int s = (int) ((t - from) / 1000);
            if (s >= 0 && s < seconds) h[s]++;
        }
        return h;
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) return -1;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
