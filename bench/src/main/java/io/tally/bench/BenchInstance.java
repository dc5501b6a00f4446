package io.tally.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tally.realtime.Realtime;
import io.tally.realtime.RealtimeStatus;
import io.tally.testing.TallyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;

/**
 * One Tally instance for benchmarks: the WAR's webapp on embedded Tomcat 11 (as
 * {@code io.tally.testing.TallyServer} runs it, plus settable connector properties and context
 * parameters), and beside it, on another loopback port, a small control server that is never part
 * of the WAR:
 * <ul>
 *   <li>{@code POST /publish?rate=R&duration=D}: publishes R msgs/s for D s to room {@code game-1}
 *       through {@code Realtime.publish} (what the peers' generator calls, via {@code PUBLISH_URL});</li>
 *   <li>{@code GET /stats[?gc=1]}: pid, sessions, polls, published, heap used (after a full GC when asked);</li>
 *   <li>{@code POST /stop}: stops the instance and its process.</li>
 * </ul>
 * Run as its own JVM, so CPU and memory per instance can be read from /proc:
 * {@code java -cp ... io.tally.bench.BenchInstance --port 0 --set REDIS_URL=redis://127.0.0.1:6379}.
 * It prints {@code BENCH-READY {json}} once listening, and stops by itself after {@code --max-seconds}
 * or when its standard input closes ({@code --watch-stdin}, used by the load tool that spawned it).
 */
public final class BenchInstance implements AutoCloseable {
    public static final String ROOM = "game-1";

    /** Tally settings every bench instance gets: all viewers come from 127.0.0.1, so the per-address caps must not apply. */
    static final Map<String, String> BENCH_SETTINGS = Map.of(
            "TALLY_MAX_CONNECTIONS_PER_ADDRESS", "1000000",
            "TALLY_MAX_CONNECTIONS", "1000000",
            "TALLY_POLLS_PER_SECOND", "1000000",
            // The scoreboard scenario's scorer: one token for all instances, and no write limit for its one address.
            "TALLY_ADMIN_TOKEN", ScoreboardGame.TOKEN,
            "TALLY_WRITE_RATE", "100000",
            "TALLY_WRITE_BURST", "100000");

    /** Connector properties every bench instance gets unless overridden (Tomcat's NIO default caps at 8,192 connections). */
    static final Map<String, String> BENCH_CONNECTOR = Map.of(
            "maxConnections", "30000",
            "acceptCount", "1024");

    private final TallyServer server;
    private final HttpServer control;
    private final Publisher publisher = new Publisher();
    private final int port;

    private BenchInstance(TallyServer server, HttpServer control) {
        this.server = server;
        this.control = control;
        this.port = server.port();
        server.realtime().rooms(ROOM::equals); // viewers subscribe before the first publish
    }

    public static BenchInstance start(
            int port,
            int controlPort,
            Map<String, String> settings,
            Map<String, String> connectorProps,
            Map<String, String> contextParams) {
        Map<String, String> props = new LinkedHashMap<>(BENCH_CONNECTOR);
        props.putAll(connectorProps);
        Map<String, String> params = new LinkedHashMap<>(BENCH_SETTINGS);
        params.putAll(settings);
        params.putAll(contextParams);
        TallyServer server = TallyServer.start("127.0.0.1", port, params, props, context -> {
            if (Boolean.getBoolean("tally.bench.bare")) {
                Wrapper bare = Tomcat.addServlet(context, "bare", new BareBroadcaster.Servlet());
                bare.setAsyncSupported(true);
                context.addServletMappingDecoded(BareBroadcaster.PATH, "bare");
            }
        });
        try {
            HttpServer control = HttpServer.create(new InetSocketAddress("127.0.0.1", controlPort), 50);
            control.setExecutor(Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "bench-control");
                t.setDaemon(true);
                return t;
            }));
            BenchInstance instance = new BenchInstance(server, control);
            control.createContext("/", instance::handle);
            control.start();
            return instance;
        } catch (IOException e) {
            server.stop();
            throw new IllegalStateException("cannot start the bench instance's control server", e);
        }
    }

    public int port() {
        return port;
    }

    public int controlPort() {
        return control.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String controlUrl() {
        return "http://127.0.0.1:" + controlPort();
    }

    public Realtime realtime() {
        return server.realtime();
    }

    public Publisher publisher() {
        return publisher;
    }

    public boolean publish(double rate, double duration) {
        if (Boolean.getBoolean("tally.bench.bare")) return publisher.start(rate, duration, BareBroadcaster::publish);
        Realtime rt = realtime();
        return publisher.start(rate, duration, json -> rt.publish(ROOM, json));
    }

    String statsJson(boolean gc) {
        if (gc) {
            for (int i = 0; i < 3; i++) System.gc();
        }
        Realtime rt = realtime();
        RealtimeStatus s = rt.status();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long nonHeap =
                ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getUsed();
        return "{\"pid\":" + ProcessHandle.current().pid()
                + ",\"port\":" + port
                + ",\"control\":" + controlPort()
                + ",\"instance\":\"" + s.instanceId() + "\""
                + ",\"broker\":\"" + s.brokerMode() + "\""
                + ",\"sessions\":" + s.webSocketConnections()
                + ",\"polls\":" + s.pollsWaiting()
                + ",\"published\":" + rt.metrics().published()
                + ",\"framesOut\":" + rt.metrics().framesOut()
                + ",\"rejected\":\"" + rt.metrics().rejected() + "\""
                + ",\"sent\":" + publisher.sent()
                + ",\"publishFailed\":" + publisher.failed()
                + ",\"publishing\":" + publisher.running()
                + ",\"heapUsed\":" + heap
                + ",\"nonHeapUsed\":" + nonHeap
                + ",\"rss\":" + Proc.rssBytes(ProcessHandle.current().pid())
                + "}";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Map<String, String> q = query(ex.getRequestURI());
            try (InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
            }
            if (path.equals("/publish") && ex.getRequestMethod().equals("POST")) {
                double rate = Double.parseDouble(q.getOrDefault("rate", "1"));
                double duration = Double.parseDouble(q.getOrDefault("duration", "1"));
                boolean started = publish(rate, duration);
                reply(ex, started ? 202 : 409, started ? "started\n" : "already publishing\n", "text/plain");
            } else if (path.equals("/stats")) {
                reply(ex, 200, statsJson("1".equals(q.get("gc"))), "application/json");
            } else if (path.equals("/stop") && ex.getRequestMethod().equals("POST")) {
                reply(ex, 200, "stopping\n", "text/plain");
                Thread t = new Thread(() -> System.exit(0), "bench-stop");
                t.start();
            } else {
                reply(ex, 404, "not found\n", "text/plain");
            }
        } catch (RuntimeException e) {
            reply(ex, 400, String.valueOf(e) + "\n", "text/plain");
        }
    }

    private static void reply(HttpExchange ex, int status, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) return q;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0)
                q.put(kv.substring(0, eq), java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    @Override
    public void close() {
        control.stop(0);
        server.stop();
    }

    /**
     * {@code --port P --control-port C --set KEY=VALUE... --connector key=value... --context-param k=v...
     * --max-seconds S --watch-stdin}
     */
    public static void main(String[] args) throws Exception {
        int port = 0, controlPort = 0;
        long maxSeconds = 1800;
        boolean watchStdin = false;
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> connector = new LinkedHashMap<>();
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--control-port" -> controlPort = Integer.parseInt(args[++i]);
                case "--max-seconds" -> maxSeconds = Long.parseLong(args[++i]);
                case "--watch-stdin" -> watchStdin = true;
                case "--set" -> put(settings, args[++i]);
                case "--connector" -> put(connector, args[++i]);
                case "--context-param" -> put(params, args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        BenchInstance instance = start(port, controlPort, settings, connector, params);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                instance.close();
                            } catch (RuntimeException ignored) {
                                // exiting anyway
                            }
                        },
                        "bench-shutdown"));
        // Stops by itself: a deadline, and (when spawned) the parent's end of the pipe closing.
        long stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        if (watchStdin) {
            Thread watcher = new Thread(
                    () -> {
                        try {
                            while (System.in.read() >= 0) {
                                // the parent never writes; EOF means it is gone
                            }
                        } catch (IOException ignored) {
                            // same: the parent is gone
                        }
                        System.exit(0);
                    },
                    "bench-stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        System.out.println("BENCH-READY " + instance.statsJson(false));
        System.out.flush();
        while (System.nanoTime() < stopAt) {
            Thread.sleep(500);
        }
        System.err.println("bench instance: --max-seconds reached, stopping");
        System.exit(0);
    }

    private static void put(Map<String, String> map, String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("expected KEY=VALUE, got " + kv);
        map.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
}
