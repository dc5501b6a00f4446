package io.tally.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The "scoreboard fan-out" scenario: N viewers split evenly over the instances, all in room
 * {@code game-1}; once all have joined, instance A publishes R msgs/s for D s; the tool measures
 * what arrives (loss, duplicates, order, latency), time to connect, server memory and CPU per
 * instance (from /proc of each instance's JVM) and its own CPU. Writes JSON and a Markdown table
 * under {@code target/bench/}.
 *
 * <pre>
 * bench/run.sh --viewers 10000 --rate 2 --duration 20 --transport websocket --instances 2
 * </pre>
 * Options: see {@link Options#usage()}.
 */
public final class FanOut {
    private FanOut() {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.usage());
            System.exit(2);
            return;
        }
        // The whole run is bounded, whatever happens.
        Thread guard = new Thread(
                () -> {
                    try {
                        Thread.sleep(TimeUnit.SECONDS.toMillis(o.maxSeconds()));
                        System.err.println("fan-out: --max-seconds reached, giving up");
                        System.exit(3);
                    } catch (InterruptedException ignored) {
                        // finished in time
                    }
                },
                "bench-guard");
        guard.setDaemon(true);
        guard.start();
        Map<String, Object> result = run(o);
        guard.interrupt();
        System.exit(result.containsKey("error") ? 1 : 0);
    }

    /** Runs one scenario and writes its report; returns the result (also for tests). */
    public static Map<String, Object> run(Options o) throws IOException, InterruptedException {
        Path out = o.outDir();
        Files.createDirectories(out);
        Path logs = out.resolve("logs");
        Files.createDirectories(logs);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("label", o.label());
        r.put("date", Instant.now().toString());
        r.put("tool", o.generator());
        r.put("scenario", o.scenario());
        r.put("transport", o.transport());
        r.put("deflate_offered", o.transport().equals("websocket") && o.deflate());
        if (o.scenario().equals("scoreboard")) r.put("log", o.log());
        r.put("N", o.viewers());
        r.put("R", o.rate());
        r.put("D", o.duration());
        r.put("instances", o.instances());
        r.put("mode", o.embedded() ? "embedded" : "process");
        r.put("load_avg_before", Proc.loadAverage());
        try (Cluster cluster = new Cluster()) {
            Map<String, String> settings = new LinkedHashMap<>(o.settings());
            boolean redis = o.redis();
            if (redis && !settings.containsKey("REDIS_URL")) {
                cluster.startRedis(o.maxSeconds() + 30, logs);
                settings.put("REDIS_URL", cluster.redisUrl);
            }
            r.put("broker", redis ? "redis" : "memory");
            List<Cluster.Instance> instances = new ArrayList<>();
            for (int i = 0; i < o.instances(); i++) {
                String name = String.valueOf((char) ('A' + i));
                Map<String, String> s = new LinkedHashMap<>(settings);
                s.putIfAbsent("TALLY_INSTANCE_ID", "bench-" + name);
                try {
                    instances.add(
                            o.embedded()
                                    ? cluster.embed(name, s, o.connector(), o.contextParams())
                                    : cluster.spawn(
                                            name,
                                            o.jvmOptions(),
                                            s,
                                            o.connector(),
                                            o.contextParams(),
                                            o.maxSeconds() + 30,
                                            logs));
                } catch (RuntimeException | IOException e) {
                    r.put(
                            "error",
                            "instance " + name + " failed to start: " + e.getMessage()
                                    + (redis ? " (two instances need the Redis broker: REDIS_URL support)" : ""));
                    System.err.println("fan-out: " + r.get("error"));
                    return finish(o, r);
                }
            }
            for (Cluster.Instance i : instances) {
                String mode = (String) Cluster.stats(i, false).get("broker");
                if (o.instances() > 1 && "memory".equals(mode)) {
                    r.put(
                            "error",
                            "instance " + i.name()
                                    + " runs the in-memory broker: two instances need REDIS_URL support");
                    return finish(o, r);
                }
            }
            r.put("jvm_options", o.embedded() ? "(embedded in the load tool's JVM)" : String.join(" ", o.jvmOptions()));
            r.put("connector", o.connector());
            r.put("context_params", o.contextParams());
            r.put("settings", o.settings());
            if (o.generator().equals("node")) {
                runNode(o, instances, r);
            } else {
                runJava(o, instances, r, cluster.redisPid());
            }
        }
        r.put("load_avg_after", Proc.loadAverage());
        return finish(o, r);
    }

    // ---- our own generator -----------------------------------------------------------------

    private static void runJava(Options o, List<Cluster.Instance> instances, Map<String, Object> r, long redisPid)
            throws IOException, InterruptedException {
        int n = o.viewers();
        long selfPid = Proc.self();
        List<Map<String, Object>> idle = new ArrayList<>();
        for (Cluster.Instance i : instances) idle.add(Cluster.stats(i, true));
        long[] rss0 = instances.stream().mapToLong(i -> Proc.rssBytes(i.pid())).toArray();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.maxSeconds());
        ScoreboardGame game = null;
        if (o.scenario().equals("scoreboard")) {
            game = ScoreboardGame.create(instances.get(0).baseUrl(), o.log());
            r.put("game", game.id());
            r.put("game_version_before", game.baseVersion());
            progressLine(
                    "game " + game.id() + " created with " + o.log() + " events (version " + game.baseVersion() + ")");
        }
        Viewers shared = new Viewers(n);
        EventLoop[] loops = new EventLoop[o.threads()];
        for (int t = 0; t < loops.length; t++) {
            loops[t] = new EventLoop("bench-loop-" + t, deadline);
            loops[t].start();
        }
        try {
            // Connect: at most --connect-batch handshakes in flight (as the Node generator's batches of 250).
            long t0 = System.nanoTime();
            long connectDeadline = t0 + TimeUnit.SECONDS.toNanos(o.connectTimeout());
            Progress progress = new Progress(o, shared, loops);
            for (int v = 0; v < n; v++) {
                while (v - shared.joined.get() - shared.failed.get() >= o.connectBatch()
                        && System.nanoTime() < connectDeadline) {
                    Thread.sleep(1);
                    progress.connecting(t0);
                }
                if (System.nanoTime() >= connectDeadline) break;
                Cluster.Instance inst = instances.get(v % instances.size());
                URI u = URI.create(inst.baseUrl());
                InetSocketAddress addr = new InetSocketAddress("127.0.0.1", u.getPort());
                EventLoop loop = loops[v % loops.length];
                Viewer viewer = o.transport().equals("polling")
                        ? new PollViewer(loop, shared, v, addr)
                        : new WsViewer(loop, shared, v, addr, o.deflate(), game);
                shared.started.incrementAndGet();
                loop.submit(viewer::open);
            }
            while (shared.joined.get() + shared.failed.get() < n && System.nanoTime() < connectDeadline) {
                Thread.sleep(5);
                progress.connecting(t0);
            }
            double connectS = (System.nanoTime() - t0) / 1e9;
            progress.connecting(t0);
            progress.line(String.format(
                    "connected %d of %d in %.1f s (%d failed)%s",
                    shared.joined.get(),
                    n,
                    connectS,
                    shared.failed.get(),
                    shared.firstFailure != null ? "; first failure: " + shared.firstFailure : ""));
            r.put("connect_all_s", round(connectS, 2));
            r.put("joined", shared.joined.get());
            r.put("failed_connects", shared.failed.get());
            if (!shared.extensions.isEmpty()) {
                Map<String, Object> ext = new java.util.TreeMap<>();
                shared.extensions.forEach((k, v) -> ext.put(k, v.get()));
                r.put("negotiated_extensions", ext);
            }

            Thread.sleep(TimeUnit.SECONDS.toMillis(o.settle())); // connections settle before the baseline
            long[] rss1 =
                    instances.stream().mapToLong(i -> Proc.rssBytes(i.pid())).toArray();
            List<Map<String, Object>> full = new ArrayList<>();
            for (Cluster.Instance i : instances) full.add(Cluster.stats(i, true));

            double[][] split0 =
                    instances.stream().map(i -> Proc.cpuSplit(i.pid())).toArray(double[][]::new);
            double[] cpu0 = instances.stream()
                    .mapToDouble(i -> Proc.cpuSeconds(i.pid()))
                    .toArray();
            double self0 = Proc.cpuSeconds(selfPid);
            double redis0 = redisPid > 0 ? Proc.cpuSeconds(redisPid) : Double.NaN;
            long expected = (long) n * Math.round(o.rate() * o.duration());
            long bytes0 = 0, payload0 = 0;
            for (EventLoop l : loops) {
                bytes0 += l.recorder.bytesIn;
                payload0 += l.recorder.payloadBytes;
            }
            long tp = System.nanoTime();
            if (game != null) game.score(o.rate(), o.duration());
            else
                Cluster.post(instances.get(0).controlUrl() + "/publish?rate=" + o.rate() + "&duration=" + o.duration());
            long waitUntil = tp + TimeUnit.SECONDS.toNanos((long) Math.ceil(o.duration()) + o.drain());
            long total = 0;
            while (System.nanoTime() < waitUntil) {
                total = 0;
                for (EventLoop l : loops) total += l.recorder.total;
                if (total >= expected) break;
                Thread.sleep(20);
                progress.publishing(tp, expected);
            }
            double[] cpu1 = instances.stream()
                    .mapToDouble(i -> Proc.cpuSeconds(i.pid()))
                    .toArray();
            double[][] split1 =
                    instances.stream().map(i -> Proc.cpuSplit(i.pid())).toArray(double[][]::new);
            double self1 = Proc.cpuSeconds(selfPid);
            if (redisPid > 0) r.put("redis_cpu_s_publish", round(Proc.cpuSeconds(redisPid) - redis0, 2));
            double user = 0, sys = 0;
            for (int k = 0; k < instances.size(); k++) {
                user += split1[k][0] - split0[k][0];
                sys += split1[k][1] - split0[k][1];
            }
            r.put("server_cpu_user_s", round(user, 2));
            r.put("server_cpu_sys_s", round(sys, 2));
            long lastDelivery = 0;
            for (EventLoop l : loops) lastDelivery = Math.max(lastDelivery, l.recorder.lastDeliveryNanos);
            Map<String, Object> pubStats = Cluster.stats(instances.get(0), false);
            long bytes1 = 0, payload1 = 0;
            for (EventLoop l : loops) {
                bytes1 += l.recorder.bytesIn;
                payload1 += l.recorder.payloadBytes;
            }
            for (EventLoop l : loops) l.shutdown();
            for (EventLoop l : loops) l.join(5000);

            // Merge what the loops saw.
            int[] hist = new int[Recorder.BUCKETS];
            long delivered = 0,
                    dup = 0,
                    ooo = 0,
                    gaps = 0,
                    resets = 0,
                    errors = 0,
                    closes = 0,
                    pollResponses = 0,
                    pollReconnects = 0,
                    pollErrors = 0;
            for (EventLoop l : loops) {
                Recorder x = l.recorder;
                for (int b = 0; b < hist.length; b++) hist[b] += x.hist[b];
                delivered += x.total;
                dup += x.duplicated;
                ooo += x.outOfOrder;
                gaps += x.gaps;
                resets += x.resets;
                errors += x.errors;
                closes += x.serverCloses;
                pollResponses += x.pollResponses;
                pollReconnects += x.pollReconnects;
                pollErrors += x.pollErrors;
            }
            long perViewer = Math.round(o.rate() * o.duration());
            long publishedCount = game != null ? game.ok() : ((Number) pubStats.get("sent")).longValue();
            long shortfall = 0, shortOfPublished = 0;
            for (int v = 0; v < n; v++) {
                shortfall += Math.max(0, perViewer - shared.lastSeq[v]);
                shortOfPublished += Math.max(0, publishedCount - shared.lastSeq[v]);
            }
            double elapsed = lastDelivery > tp ? (lastDelivery - tp) / 1e9 : o.duration();
            r.put("expected", expected);
            r.put("published", publishedCount);
            if (game != null) {
                double[] pl = game.postLatencies();
                Map<String, Object> post = new LinkedHashMap<>();
                post.put("ok", game.ok());
                post.put("failed", game.failed());
                post.put("p50", quantile(pl, 0.50));
                post.put("p90", quantile(pl, 0.90));
                post.put("p99", quantile(pl, 0.99));
                post.put("max", quantile(pl, 1.0));
                r.put("scorer_post_ms", post);
                if (game.firstFailure() != null) r.put("scorer_first_failure", game.firstFailure());
            }
            r.put("delivered", delivered);
            r.put("delivered_per_s", Math.round(delivered / Math.max(o.duration(), elapsed)));
            // As the Node generator counts it: against N*R*D, whether late, lost or never published.
            r.put("undelivered", gaps + shortfall);
            // Skipped between two received messages (lost) vs not yet received when the run stopped waiting (late or
            // lost).
            r.put("undelivered_gaps", gaps);
            r.put("undelivered_tail", shortfall);
            // Published by instance A (a publisher held back by the fan-out publishes fewer) but not received.
            r.put("lost_of_published", gaps + shortOfPublished);
            r.put("duplicated", dup);
            r.put("out_of_order", ooo);
            r.put("resets", resets);
            r.put("errors", errors);
            r.put("server_closes", closes);
            if (o.transport().equals("polling")) {
                r.put("poll_responses", pollResponses);
                r.put("poll_reconnects", pollReconnects);
                r.put("poll_errors", pollErrors);
            }
            Map<String, Object> lat = new LinkedHashMap<>();
            lat.put("p50", Recorder.percentile(hist, delivered, 0.50));
            lat.put("p90", Recorder.percentile(hist, delivered, 0.90));
            lat.put("p99", Recorder.percentile(hist, delivered, 0.99));
            lat.put("max", Recorder.percentile(hist, delivered, 1.0));
            r.put("latency_ms", lat);
            r.put("wall_publish_s", round(elapsed, 2));
            // On the wire: every byte the viewers read while the messages were published (frame
            // headers, compressed payloads when deflate was negotiated, the odd ping), per delivery.
            r.put("wire_bytes_publish", bytes1 - bytes0);
            r.put("wire_bytes_per_delivery", delivered == 0 ? null : round((double) (bytes1 - bytes0) / delivered, 1));
            r.put(
                    "payload_bytes_per_delivery",
                    delivered == 0 ? null : round((double) (payload1 - payload0) / delivered, 1));
            serverFigures(o, instances, r, idle, full, rss0, rss1, cpu0, cpu1, delivered, n);
            r.put("loadgen_cpu_s_publish", round(self1 - self0, 2));
            r.put("loadgen_cpu_us_per_delivery", delivered == 0 ? null : round((self1 - self0) * 1e6 / delivered, 2));
            if (shared.firstFailure != null) r.put("first_failure", shared.firstFailure);
        } finally {
            for (EventLoop l : loops) l.shutdown();
        }
    }

    private static void serverFigures(
            Options o,
            List<Cluster.Instance> instances,
            Map<String, Object> r,
            List<Map<String, Object>> idle,
            List<Map<String, Object>> full,
            long[] rss0,
            long[] rss1,
            double[] cpu0,
            double[] cpu1,
            long delivered,
            int n) {
        List<Map<String, Object>> servers = new ArrayList<>();
        double cpuTotal = 0;
        double perInstance = (double) n / instances.size();
        for (int k = 0; k < instances.size(); k++) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", instances.get(k).name());
            s.put("pid", instances.get(k).pid());
            s.put("rss_mb_before", round(rss0[k] / 1048576.0, 1));
            s.put("rss_mb_idle_with_N", round(rss1[k] / 1048576.0, 1));
            s.put("rss_kib_per_conn", round((rss1[k] - rss0[k]) / 1024.0 / perInstance, 1));
            if (idle != null && full != null) {
                long h0 = ((Number) idle.get(k).get("heapUsed")).longValue();
                long h1 = ((Number) full.get(k).get("heapUsed")).longValue();
                s.put("heap_mb_before", round(h0 / 1048576.0, 1));
                s.put("heap_mb_with_N", round(h1 / 1048576.0, 1));
                s.put("heap_kib_per_conn", round((h1 - h0) / 1024.0 / perInstance, 1));
                s.put("sessions", full.get(k).get("sessions"));
            }
            double cpu = cpu1[k] - cpu0[k];
            cpuTotal += cpu;
            s.put("cpu_s_publish", round(cpu, 2));
            servers.add(s);
        }
        r.put("servers", servers);
        r.put("server_cpu_s_publish", round(cpuTotal, 2));
        r.put("server_cpu_us_per_delivery", delivered == 0 ? null : round(cpuTotal * 1e6 / delivered, 2));
        r.put("server_cpu_s_per_100k", delivered == 0 ? null : round(cpuTotal * 1e5 / delivered, 3));
        if (o.embedded())
            r.put("note", "embedded: the server shares the load tool's JVM, so server CPU and memory include the tool");
    }

    // ---- the peers' Node generator ---------------------------------------------------------

    private static void runNode(Options o, List<Cluster.Instance> instances, Map<String, Object> r)
            throws IOException, InterruptedException {
        Path root = o.projectRoot();
        List<String> cmd = new ArrayList<>(List.of(
                "node",
                "--max-old-space-size=4096",
                root.resolve("bench/node/wire.js").toString(),
                o.loadgen().toString(),
                root.resolve("bench/node/protocol-tally.js").toString(),
                Integer.toString(o.viewers()),
                fmt(o.rate()),
                fmt(o.duration())));
        for (Cluster.Instance i : instances) cmd.add(i.baseUrl());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        StringBuilder pids = new StringBuilder();
        for (Cluster.Instance i : instances)
            pids.append(pids.length() > 0 ? " " : "").append(i.pid());
        pb.environment().put("SERVER_PIDS", pids.toString());
        pb.environment()
                .put(
                        "PUBLISH_URL",
                        instances.get(0).controlUrl() + "/publish?rate=" + fmt(o.rate()) + "&duration="
                                + fmt(o.duration()));
        pb.environment()
                .put("NODE_PATH", root.resolve("bench/node/node_modules").toString());
        pb.environment().put("DEFLATE", o.deflate() ? "1" : "0");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        List<Map<String, Object>> idle = new ArrayList<>();
        for (Cluster.Instance i : instances) idle.add(Cluster.stats(i, true));
        progressLine("running the Node generator: " + String.join(" ", cmd));
        Process p = pb.start();
        String last = null;
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                System.err.println("[node] " + line);
                if (line.startsWith("{")) last = line;
            }
        }
        if (!p.waitFor(o.maxSeconds(), TimeUnit.SECONDS)) p.destroyForcibly();
        if (last == null) {
            r.put("error", "the Node generator printed no result");
            return;
        }
        Map<String, Object> node = io.tally.json.Json.parseObject(last, 8);
        if (node.containsKey("error")) r.put("error", "node: " + node.get("error"));
        for (String k : List.of(
                "expected",
                "delivered",
                "delivered_per_s",
                "undelivered",
                "duplicated",
                "out_of_order",
                "latency_ms",
                "connect_all_s",
                "wall_publish_s",
                "server_rss_mb_idle_with_N",
                "server_kib_per_conn",
                "server_cpu_s_publish",
                "loadgen_cpu_s_publish",
                "wire_bytes_publish",
                "wire_bytes_per_delivery",
                "negotiated_extensions")) {
            if (node.containsKey(k))
                r.put(k.equals("server_cpu_s_publish") ? "server_cpu_s_publish_each" : k, node.get(k));
        }
        Object cpus = node.get("server_cpu_s_publish");
        if (cpus instanceof List<?> list) {
            double total = 0;
            for (Object x : list) total += ((Number) x).doubleValue();
            long delivered = ((Number) node.getOrDefault("delivered", 0L)).longValue();
            r.put("server_cpu_s_publish", round(total, 2));
            r.put("server_cpu_us_per_delivery", delivered == 0 ? null : round(total * 1e6 / delivered, 2));
            r.put("server_cpu_s_per_100k", delivered == 0 ? null : round(total * 1e5 / delivered, 3));
            Object ld = node.get("loadgen_cpu_s_publish");
            if (ld instanceof Number l && delivered > 0)
                r.put("loadgen_cpu_us_per_delivery", round(l.doubleValue() * 1e6 / delivered, 2));
        }
        List<Map<String, Object>> heaps = new ArrayList<>();
        for (int k = 0; k < instances.size(); k++) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("name", instances.get(k).name());
            h.put("heap_mb_before", round(((Number) idle.get(k).get("heapUsed")).longValue() / 1048576.0, 1));
            heaps.add(h);
        }
        r.put("servers", heaps);
    }

    // ---- reporting -------------------------------------------------------------------------

    private static Map<String, Object> finish(Options o, Map<String, Object> r) throws IOException {
        Report.write(o.outDir(), o.label(), r);
        progressLine("wrote " + o.outDir().resolve(o.label() + ".json") + " and .md; summary in "
                + o.outDir().resolve("summary.md"));
        System.out.println(Report.row(r));
        return r;
    }

    static void progressLine(String s) {
        System.err.println("[fan-out] " + s);
    }

    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return round(sorted[Math.max(0, Math.min(sorted.length - 1, i))], 1);
    }

    static double round(double x, int digits) {
        if (Double.isNaN(x) || Double.isInfinite(x)) return x;
        double f = Math.pow(10, digits);
        return Math.round(x * f) / f;
    }

    static String fmt(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }

    /** Progress lines, at most one a second. */
    private static final class Progress {
        private final Options o;
        private final Viewers shared;
        private final EventLoop[] loops;
        private long lastPrint;
        private long lastTotal;

        Progress(Options o, Viewers shared, EventLoop[] loops) {
            this.o = o;
            this.shared = shared;
            this.loops = loops;
        }

        void connecting(long t0) {
            long now = System.nanoTime();
            if (now - lastPrint < 1_000_000_000L) return;
            lastPrint = now;
            line(String.format(
                    "t=%5.1fs connecting: joined %d/%d, failed %d",
                    (now - t0) / 1e9, shared.joined.get(), shared.n, shared.failed.get()));
        }

        void publishing(long tp, long expected) {
            long now = System.nanoTime();
            if (now - lastPrint < 1_000_000_000L) return;
            long total = 0;
            for (EventLoop l : loops) total += l.recorder.total;
            double dt = lastPrint == 0 ? 1 : (now - lastPrint) / 1e9;
            long rate = Math.round((total - lastTotal) / dt);
            lastPrint = now;
            lastTotal = total;
            line(String.format(
                    "t=%5.1fs publishing: delivered %d/%d (%d/s), tool CPU %.1f s",
                    (now - tp) / 1e9, total, expected, rate, Proc.cpuSeconds(Proc.self())));
        }

        void line(String s) {
            progressLine(s);
        }
    }

    // ---- options ---------------------------------------------------------------------------

    /** The scenario's parameters. */
    public record Options(
            String scenario,
            int log,
            boolean deflate,
            int viewers,
            double rate,
            double duration,
            String transport,
            int instances,
            boolean redis,
            boolean embedded,
            String generator,
            int threads,
            int connectBatch,
            int connectTimeout,
            int drain,
            int settle,
            long maxSeconds,
            String label,
            List<String> jvmOptions,
            Map<String, String> settings,
            Map<String, String> connector,
            Map<String, String> contextParams,
            Path outDir,
            Path loadgen) {

        /** Tomcat connector attributes recommended for many idle connections (server.xml on Beanstalk). */
        public static final Map<String, String> TUNED_CONNECTOR = Map.of(
                "socket.appReadBufSize", "1024",
                "socket.appWriteBufSize", "1024");
        /** WebSocket buffer sizes (context parameters: web.xml, or Tomcat's context.xml). */
        public static final Map<String, String> TUNED_CONTEXT = Map.of(
                "org.apache.tomcat.websocket.textBufferSize", "512",
                "org.apache.tomcat.websocket.binaryBufferSize", "512");

        public static String usage() {
            return String.join(
                    "\n",
                    "usage: bench/run.sh [options]",
                    "       bench/run.sh --matrix issue13 [--viewers N] [--duration D] [--poll-viewers P]",
                    "  --scenario S           fanout (the publisher's ~100-byte payload to room game-1) |",
                    "                         scoreboard (a real game over the REST API: viewers load its snapshot",
                    "                         and subscribe from its position; a scorer posts R score events/s)",
                    "  --log L                scoreboard: events in the game's log before scoring (default 50)",
                    "  --deflate on|off       offer permessage-deflate as browsers do (default on; DEFLATE=0 means off)",
                    "  --viewers N            viewers (default 1000)",
                    "  --rate R               messages/s published on instance A (default 2)",
                    "  --duration D           seconds of publishing (default 10)",
                    "  --transport T          websocket | polling (default websocket)",
                    "  --instances K          Tally instances, each its own JVM (default 1; 2 implies --redis)",
                    "  --redis | --no-redis   start a redis-server and set REDIS_URL (default: when K > 1)",
                    "  --embedded             run one instance inside this JVM (smoke tests)",
                    "  --generator G          java (this tool) | node (the peers' loadgen.js with bench/node/protocol-tally.js)",
                    "  --loadgen PATH         the Node generator (default ../shared/peers/socketio/loadgen.js)",
                    "  --threads T            event-loop threads of this tool (default 2)",
                    "  --connect-batch B      handshakes in flight while connecting (default 250)",
                    "  --drain S              seconds to wait for late messages after D (default 15)",
                    "  --settle S             seconds between the last join and the memory/CPU baseline (default 2)",
                    "  --label NAME           report name under target/bench/ (default derived)",
                    "  --jvm \"OPTS\"           JVM options of each instance (default -Xmx1g -XX:+ExitOnOutOfMemoryError)",
                    "  --set KEY=VALUE        Tally setting of each instance (e.g. TALLY_HEARTBEAT_MS=25000)",
                    "  --connector k=v        Tomcat connector property (e.g. socket.appReadBufSize=1024)",
                    "  --context-param k=v    context parameter (e.g. org.apache.tomcat.websocket.textBufferSize=1024)",
                    "  --tuned                the recommended buffer sizes (docs/PERFORMANCE.md): 1 KiB socket and",
                    "                         WebSocket buffers (-Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE=1024)",
                    "  --max-seconds S        hard deadline of the whole run (default 600)");
        }

        public static Options parse(String... args) {
            int viewers = 1000, instances = 1, threads = 2, batch = 250, drain = 15, settle = 2;
            double rate = 2, duration = 10;
            String transport = "websocket", generator = "java", label = null, scenario = "fanout";
            int log = 50;
            boolean deflate = !"0".equals(System.getenv("DEFLATE"));
            Boolean redis = null;
            boolean embedded = false;
            long maxSeconds = 600;
            List<String> jvm = new ArrayList<>(List.of("-Xmx1g", "-XX:+ExitOnOutOfMemoryError"));
            Map<String, String> settings = new LinkedHashMap<>(),
                    connector = new LinkedHashMap<>(),
                    params = new LinkedHashMap<>();
            Path loadgen = null;
            boolean tuned = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                java.util.function.Supplier<String> next = () -> {
                    throw new IllegalArgumentException("missing value");
                };
                if (i + 1 < args.length) {
                    String v = args[i + 1];
                    next = () -> v;
                }
                switch (a) {
                    case "--scenario" -> {
                        scenario = next.get();
                        i++;
                    }
                    case "--log" -> {
                        log = Integer.parseInt(next.get());
                        i++;
                    }
                    case "--deflate" -> {
                        String v = next.get();
                        i++;
                        if (!v.equals("on") && !v.equals("off")) throw new IllegalArgumentException("--deflate on|off");
                        deflate = v.equals("on");
                    }
                    case "--viewers" -> {
                        viewers = Integer.parseInt(next.get());
                        i++;
                    }
                    case "--rate" -> {
                        rate = Double.parseDouble(next.get());
                        i++;
                    }
                    case "--duration" -> {
                        duration = Double.parseDouble(next.get());
                        i++;
                    }
                    case "--transport" -> {
                        transport = next.get();
                        i++;
                    }
                    case "--instances" -> {
                        instances = Integer.parseInt(next.get());
                        i++;
                    }
                    case "--redis" -> redis = true;
                    case "--no-redis" -> redis = false;
                    case "--embedded" -> embedded = true;
                    case "--generator" -> {
                        generator = next.get();
                        i++;
                    }
                    case "--loadgen" -> {
                        loadgen = Path.of(next.get());
                        i++;
                    }
                    case "--threads" -> {
                        threads = Integer.parseInt(next.get());
                        i++;
                    }
                    case "--connect-batch" -> {
                        batch = Integer.parseInt(next.get());
                        i++;
                    }
                    case "--drain" -> {
                        drain = Integer.parseInt(next.get());
                        i++;
                    }
                    case "--settle" -> {
                        settle = Integer.parseInt(next.get());
                        i++;
                    }
                    case "--label" -> {
                        label = next.get();
                        i++;
                    }
                    case "--jvm" -> {
                        jvm = new ArrayList<>(Arrays.asList(next.get().trim().split("\\s+")));
                        i++;
                    }
                    case "--set" -> {
                        put(settings, next.get());
                        i++;
                    }
                    case "--connector" -> {
                        put(connector, next.get());
                        i++;
                    }
                    case "--context-param" -> {
                        put(params, next.get());
                        i++;
                    }
                    case "--max-seconds" -> {
                        maxSeconds = Long.parseLong(next.get());
                        i++;
                    }
                    case "--tuned" -> tuned = true;
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (!transport.equals("websocket") && !transport.equals("polling"))
                throw new IllegalArgumentException("--transport websocket|polling");
            if (!generator.equals("java") && !generator.equals("node"))
                throw new IllegalArgumentException("--generator java|node");
            if (generator.equals("node") && transport.equals("polling"))
                throw new IllegalArgumentException("the Node generator speaks WebSocket only");
            if (!scenario.equals("fanout") && !scenario.equals("scoreboard"))
                throw new IllegalArgumentException("--scenario fanout|scoreboard");
            if (scenario.equals("scoreboard") && !(transport.equals("websocket") && generator.equals("java"))) {
                throw new IllegalArgumentException("the scoreboard scenario runs with this tool over WebSocket");
            }
            if (log < 0 || log > 10_000) throw new IllegalArgumentException("--log 0..10000");
            if (embedded && instances != 1) throw new IllegalArgumentException("--embedded runs one instance");
            if (viewers < 1 || rate <= 0 || duration <= 0 || threads < 1)
                throw new IllegalArgumentException("N, R, D and threads must be positive");
            boolean useRedis = redis != null ? redis : instances > 1;
            if (tuned) {
                // The recommended production settings (docs/PERFORMANCE.md); explicit options win.
                jvm.add(0, "-Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE=1024");
                TUNED_CONNECTOR.forEach(connector::putIfAbsent);
                TUNED_CONTEXT.forEach(params::putIfAbsent);
            }
            Path root = io.tally.testing.TallyServer.webappDir().getParent();
            if (label == null) {
                label = String.format(
                        "%s-%s%s-%s-n%d-r%s-d%s-%s",
                        generator,
                        scenario.equals("fanout") ? "" : scenario + "-",
                        transport,
                        transport.equals("websocket") ? (deflate ? "deflate" : "plain") : "http",
                        viewers,
                        fmt(rate),
                        fmt(duration),
                        instances + (useRedis ? "x-redis" : "x-memory"));
            }
            if (loadgen == null) {
                String env = System.getenv("TALLY_PEER_LOADGEN");
                loadgen = env != null ? Path.of(env) : peerFile(root, "loadgen.js");
            }
            return new Options(
                    scenario,
                    log,
                    deflate,
                    viewers,
                    rate,
                    duration,
                    transport,
                    instances,
                    useRedis,
                    embedded,
                    generator,
                    threads,
                    batch,
                    60 + viewers / 100,
                    drain,
                    settle,
                    maxSeconds,
                    label,
                    List.copyOf(jvm),
                    settings,
                    connector,
                    params,
                    root.resolve("target/bench"),
                    loadgen);
        }

        /** {@code shared/peers/socketio/NAME} beside the checkout or beside one of its parents (a worktree). */
        static Path peerFile(Path root, String name) {
            for (Path d = root.getParent(); d != null; d = d.getParent()) {
                Path f = d.resolve("shared/peers/socketio").resolve(name);
                if (Files.isRegularFile(f)) return f;
            }
            return root.resolve("../shared/peers/socketio").resolve(name).normalize();
        }

        Path projectRoot() {
            return outDir.getParent().getParent();
        }

        private static void put(Map<String, String> map, String kv) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected KEY=VALUE, got " + kv);
            map.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
    }
}
