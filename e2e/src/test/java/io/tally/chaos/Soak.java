package io.tally.chaos;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak: viewers churning (each connects from a snapshot or resumes a departed viewer's
 * position, hops instance and transport now and then, and leaves), writers at a steady rate, and
 * every ~10 s each Tomcat's heap after GC, RSS, file descriptors and threads and Redis's key count,
 * written to a CSV and drawn to a PNG. A series is called flat when its least-squares line over the
 * last two thirds of the run moves less than its tolerance over that span.
 */
final class Soak {
    private static final long SAMPLE_MS = 10_000;

    private final Duration duration;
    private final int viewerCount;
    private final double rate;
    private final PrintStream out;

    Soak(Duration duration, int viewers, double rate, PrintStream out) {
        this.duration = duration;
        this.viewerCount = viewers;
        this.rate = rate;
        this.out = out;
    }

    boolean run() throws IOException {
        Map<String, String> env = Map.of(
                // Idempotency answers live 24 h by default; a short TTL shows the key count levels off once it expires
                // them.
                "TALLY_IDEMPOTENCY_TTL_S", "120");
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "soak-timers");
            t.setDaemon(true);
            return t;
        });
        // Newcomers load a snapshot (blocking HTTP) off the timer threads.
        java.util.concurrent.ExecutorService spawner = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "soak-spawner");
            t.setDaemon(true);
            return t;
        });
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build();
        Viewer.handshakeTimeout = Duration.ofSeconds(15);
        out.printf(
                "soak: %d min, %d churning viewers, %.0f writes/s; starting Redis and two Tomcats...%n",
                duration.toMinutes(), viewerCount, rate);
        try (Deployment d = Deployment.start("soak", false, env, "512m")) {
            long t0 = System.currentTimeMillis();
            List<String> games = List.of(
                    Campaign.createGame(d, "Hawks", "Foxes"),
                    Campaign.createGame(d, "Lions", "Bears"),
                    Campaign.createGame(d, "Owls", "Wolves"));
            Random rng = new Random(17);
            Map<Viewer, Boolean> live = new ConcurrentHashMap<>();
            AtomicLong joined = new AtomicLong();
            AtomicLong resumed = new AtomicLong();
            Delivery delivery = new Delivery();
            Viewer.Router router = (v, r, after) -> {
                int i = r.nextInt(2);
                boolean ws = r.nextInt(10) < 7;
                return new Viewer.Target(d.url(i, false), ws, Deployment.instanceId(i) + (ws ? "/ws" : "/poll"));
            };
            // One viewer: lives 60-240 s, hops every 30-90 s, then leaves; a newcomer takes its place,
            // half of them resuming from where the leaver was (a page reload), half from a snapshot.
            Runnable[] spawn = new Runnable[1];
            spawn[0] = () -> {
                int n = (int) joined.incrementAndGet();
                String game;
                Pos start;
                synchronized (rng) {
                    game = games.get(rng.nextInt(games.size()));
                }
                start = Campaign.snapshotPosition(d, game, n % 2);
                Viewer v = new Viewer(
                        n, "game-" + game, n, router, timers, client, false, 30_000, 90_000, 500, 30_000, t0);
                live.put(v, true);
                v.checkedBy(delivery);
                v.start(start);
                long life = 60_000 + (long) (Math.random() * 180_000);
                timers.schedule(
                        () -> {
                            v.stop();
                            live.remove(v);
                            if (Math.random() < 0.5) {
                                resumed.incrementAndGet();
                                Viewer again = new Viewer(
                                        (int) joined.incrementAndGet(),
                                        v.room,
                                        v.id * 31L,
                                        router,
                                        timers,
                                        client,
                                        false,
                                        30_000,
                                        90_000,
                                        500,
                                        30_000,
                                        t0);
                                live.put(again, true);
                                again.checkedBy(delivery);
                                again.start(v.position());
                                timers.schedule(
                                        () -> {
                                            again.stop();
                                            live.remove(again);
                                            spawner.execute(spawn[0]);
                                        },
                                        60_000 + (long) (Math.random() * 180_000),
                                        TimeUnit.MILLISECONDS);
                            } else {
                                spawner.execute(spawn[0]);
                            }
                        },
                        life,
                        TimeUnit.MILLISECONDS);
            };
            for (int i = 0; i < viewerCount; i++) {
                timers.schedule(
                        () -> spawner.execute(spawn[0]), (long) (i * 60_000.0 / viewerCount), TimeUnit.MILLISECONDS);
            }

            AtomicBoolean writing = new AtomicBoolean(true);
            List<Writer> writers = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            int writerCount = 4;
            for (int w = 0; w < writerCount; w++) {
                Writer writer = new Writer(w, 1_000 + w, i -> d.url(i, false), 2, t0);
                writers.add(writer);
                long gap = (long) (1_000 * writerCount / rate);
                Random pick = new Random(w);
                Thread t = new Thread(
                        () -> {
                            long next = System.currentTimeMillis();
                            while (writing.get()) {
                                writer.score(
                                        games.get(pick.nextInt(games.size())), System.currentTimeMillis() + 60_000);
                                next += gap;
                                long left = next - System.currentTimeMillis();
                                if (left > 0) Writer.sleep(left);
                            }
                        },
                        "soak-writer-" + w);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }

            Path dir = d.runDir();
            Path csv = dir.resolve("soak.csv");
            List<double[]> rows = new ArrayList<>();
            String header =
                    "minutes,heap_a_mib,heap_b_mib,rss_a_mib,rss_b_mib,fds_a,fds_b,threads_a,threads_b,redis_keys,redis_used_mib,viewers_connected,writes_acked,duplicated,out_of_order,resets";
            StringBuilder text = new StringBuilder(header).append('\n');
            long end = t0 + duration.toMillis();
            long nextSample = t0 + SAMPLE_MS;
            while (System.currentTimeMillis() < end) {
                long wait = nextSample - System.currentTimeMillis();
                if (wait > 0) Writer.sleep(wait);
                nextSample += SAMPLE_MS;
                double minutes = (System.currentTimeMillis() - t0) / 60_000.0;
                Sampler.Vitals a;
                Sampler.Vitals b;
                double keys;
                double used;
                try {
                    a = Sampler.sample(d.pid(0), d.url(0, false), dir);
                    b = Sampler.sample(d.pid(1), d.url(1, false), dir);
                    keys = Double.parseDouble(d.redis().command("DBSIZE"));
                    used = Double.parseDouble(info(d, "used_memory")) / (1 << 20);
                } catch (IOException e) {
                    // A machine too busy to answer in time: this sample is skipped, the run goes on.
                    out.printf("[%5.1f min] sample skipped: %s%n", minutes, e);
                    continue;
                }
                long connected =
                        live.keySet().stream().filter(Viewer::isConnected).count();
                long acked = writers.stream().mapToLong(w -> w.acks.size()).sum();
                double[] row = {
                    minutes,
                    a.heapMiB(),
                    b.heapMiB(),
                    a.rssMiB(),
                    b.rssMiB(),
                    a.fds(),
                    b.fds(),
                    a.threads(),
                    b.threads(),
                    keys,
                    used,
                    connected,
                    acked,
                    delivery.duplicated.sum(),
                    delivery.outOfOrder.sum(),
                    delivery.resetCount()
                };
                rows.add(row);
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.length; i++)
                    line.append(i == 0 ? "" : ",").append(String.format("%.2f", row[i]));
                text.append(line).append('\n');
                Files.writeString(csv, text);
                out.printf(
                        "[%5.1f min] heap %.0f/%.0f MiB · RSS %.0f/%.0f MiB · fds %.0f/%.0f · threads %.0f/%.0f · Redis keys %.0f (%.1f MiB) · viewers %.0f · writes %.0f",
                        java.util.Arrays.stream(row, 0, 13).boxed().toArray());
                out.printf(" · joined %d%n", joined.get());
                out.printf(
                        "           delivery: %d messages, %d duplicated, %d out of order, %d resets · connection endings: %s%n",
                        delivery.messages.sum(),
                        delivery.duplicated.sum(),
                        delivery.outOfOrder.sum(),
                        delivery.resetCount(),
                        Viewer.ENDINGS);
            }
            writing.set(false);
            for (Thread t : threads) t.join(70_000);
            for (Viewer v : live.keySet()) v.stop();
            for (Writer w : writers)
                for (Writer.Ack a : w.acks) if (a.position() != null) delivery.exists("game-" + a.game(), a.position());

            String[] names = header.split(",");
            double[] tolerance = {0, 0.10, 0.10, 0.10, 0.10, 0.05, 0.05, 0.05, 0.05, 0.05, 0.10, 1, 1};
            double[] absolute = {0, 8, 8, 24, 24, 30, 30, 8, 8, 20, 1, 1e9, 1e9};
            boolean allFlat = true;
            StringBuilder verdict =
                    new StringBuilder("\nsoak: series over the last two thirds (least-squares slope):\n");
            for (int c = 1; c <= 10; c++) {
                double[] fit = slope(rows, c);
                double span = fit[2];
                double drift = fit[0] * span;
                boolean flat = Math.abs(drift) <= Math.max(tolerance[c] * Math.abs(fit[1]), absolute[c]);
                allFlat &= flat;
                verdict.append(String.format(
                        "  %-16s mean %10.1f  slope %+9.3f/min  drift %+9.1f over %.1f min  %s%n",
                        names[c], fit[1], fit[0], drift, span, flat ? "flat" : "NOT FLAT"));
            }
            long acked = writers.stream().mapToLong(w -> w.acks.size()).sum();
            long unknown = writers.stream().mapToLong(w -> w.unknown.size()).sum();
            long lost = delivery.lost();
            verdict.append(String.format(
                    "soak: %d viewers joined (%d resumed a leaver's position); delivery: %s; %d writes acknowledged, %d without a final answer%n",
                    joined.get(), resumed.get(), delivery.summary(), acked, unknown));
            out.print(verdict);
            Files.writeString(dir.resolve("soak-verdict.txt"), verdict);
            plot(
                    rows,
                    Deployment.projectDir().resolve("docs/img/soak.png"),
                    String.format(
                            "Soak: %d min, %d churning viewers, %.0f writes/s, two Tomcats + Redis; lost %d, duplicated %d",
                            duration.toMinutes(),
                            viewerCount,
                            rate,
                            lost,
                            delivery.duplicated.sum() + delivery.outOfOrder.sum()));
            Files.copy(
                    csv,
                    Deployment.projectDir().resolve("target/chaos/soak.csv"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            out.println("soak: CSV " + csv + ", plot docs/img/soak.png");
            return allFlat
                    && lost == 0
                    && delivery.duplicated.sum() == 0
                    && delivery.outOfOrder.sum() == 0
                    && delivery.silentEpochChanges.sum() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            timers.shutdownNow();
            spawner.shutdownNow();
        }
    }

    private static String info(Deployment d, String field) throws IOException {
        for (String line : d.redis().command("INFO", "memory").split("\r?\n")) {
            if (line.startsWith(field + ":"))
                return line.substring(field.length() + 1).trim();
        }
        return "NaN";
    }

    /** {slope per minute, mean, span in minutes} of column {@code c} over the last two thirds of the rows. */
    static double[] slope(List<double[]> rows, int c) {
        int from = rows.size() / 3;
        List<double[]> tail = rows.subList(from, rows.size());
        int n = tail.size();
        if (n < 2) return new double[] {0, n == 1 ? tail.get(0)[c] : 0, 0};
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (double[] r : tail) {
            sx += r[0];
            sy += r[c];
            sxx += r[0] * r[0];
            sxy += r[0] * r[c];
        }
        double denom = n * sxx - sx * sx;
        double k = denom == 0 ? 0 : (n * sxy - sx * sy) / denom;
        return new double[] {k, sy / n, tail.get(n - 1)[0] - tail.get(0)[0]};
    }

    private static void plot(List<double[]> rows, Path png, String title) throws IOException {
        double[] minutes = rows.stream().mapToDouble(r -> r[0]).toArray();
        java.util.function.IntFunction<double[]> col =
                c -> rows.stream().mapToDouble(r -> r[c]).toArray();
        // Columns 1-8 are pairs: Tomcat 11 then Tomcat 10.1.
        java.util.function.BiFunction<String, Integer, Plot.Panel> perTomcat = (name, c) -> new Plot.Panel(
                name,
                c <= 4 ? "MiB" : "count",
                List.of(
                        new Plot.Series("tomcat 11", col.apply(c), new Color(0x1f77b4)),
                        new Plot.Series("tomcat 10.1", col.apply(c + 1), new Color(0xd62728))));
        Plot.write(
                png,
                title,
                minutes,
                List.of(
                        perTomcat.apply("Heap after full GC", 1),
                        perTomcat.apply("RSS", 3),
                        perTomcat.apply("Open file descriptors", 5),
                        perTomcat.apply("Threads", 7),
                        new Plot.Panel(
                                "Redis keys",
                                "count",
                                List.of(new Plot.Series("DBSIZE", col.apply(9), new Color(0x2ca02c)))),
                        new Plot.Panel(
                                "Viewers connected",
                                "count",
                                List.of(new Plot.Series("connected", col.apply(11), new Color(0x9467bd)))),
                        new Plot.Panel(
                                "Delivery (cumulative)",
                                "count",
                                List.of(
                                        new Plot.Series("duplicated", col.apply(13), new Color(0xd62728)),
                                        new Plot.Series("out of order", col.apply(14), new Color(0xff7f0e)),
                                        new Plot.Series("resets", col.apply(15), new Color(0x7f7f7f))))));
    }
}
