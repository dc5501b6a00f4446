package io.tally.bench;

import io.tally.testing.Ports;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The servers of one scenario: optionally a redis-server, and one or more Tally instances, each its
 * own JVM ({@link BenchInstance}) on loopback, or one instance inside this JVM ("embedded", for the
 * smoke test). Every child is bounded: it gets a deadline, watches its stdin (this process's end of
 * the pipe) and is destroyed by {@link #close} and by a shutdown hook.
 */
final class Cluster implements AutoCloseable {
    record Instance(String name, long pid, String baseUrl, String controlUrl, Process process, BenchInstance embedded) {
        String wsBase() {
            return baseUrl;
        }
    }

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final List<Instance> instances = new ArrayList<>();
    Process redis;
    String redisUrl;
    private final Thread hook = new Thread(this::destroyAll, "bench-cluster-cleanup");

    Cluster() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts redis-server on a free loopback port, bounded by {@code timeout}. */
    void startRedis(long maxSeconds, Path logDir) throws IOException, InterruptedException {
        int port = Ports.free();
        ProcessBuilder pb = new ProcessBuilder(
                "timeout",
                "--kill-after=5",
                Long.toString(maxSeconds),
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no");
        pb.redirectErrorStream(true).redirectOutput(logDir.resolve("redis.log").toFile());
        redis = pb.start();
        redisUrl = "redis://127.0.0.1:" + port;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("redis-server did not start; see " + logDir.resolve("redis.log"));
    }

    /** The redis-server's pid (a child of {@code timeout}), or -1. */
    long redisPid() {
        if (redis == null) return -1;
        return redis.toHandle().children().findFirst().map(ProcessHandle::pid).orElse(redis.pid());
    }

    /** Starts one Tally instance as its own JVM and waits for its BENCH-READY line. */
    Instance spawn(
            String name,
            List<String> jvmOptions,
            Map<String, String> settings,
            Map<String, String> connector,
            Map<String, String> contextParams,
            long maxSeconds,
            Path logDir)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(BenchInstance.class.getName());
        cmd.add("--watch-stdin");
        cmd.add("--max-seconds");
        cmd.add(Long.toString(maxSeconds));
        settings.forEach((k, v) -> {
            cmd.add("--set");
            cmd.add(k + "=" + v);
        });
        connector.forEach((k, v) -> {
            cmd.add("--connector");
            cmd.add(k + "=" + v);
        });
        contextParams.forEach((k, v) -> {
            cmd.add("--context-param");
            cmd.add(k + "=" + v);
        });
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(logDir.resolve("instance-" + name + ".log").toFile());
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("BENCH-READY ")) {
                String json = line.substring("BENCH-READY ".length());
                Map<String, Object> s = io.tally.json.Json.parseObject(json, 8);
                int port = ((Number) s.get("port")).intValue();
                int control = ((Number) s.get("control")).intValue();
                Instance i =
                        new Instance(name, p.pid(), "http://127.0.0.1:" + port, "http://127.0.0.1:" + control, p, null);
                instances.add(i);
                Thread drain = new Thread(
                        () -> {
                            try {
                                while (out.readLine() != null) {
                                    // keep the pipe flowing
                                }
                            } catch (IOException ignored) {
                                // child gone
                            }
                        },
                        "bench-instance-stdout-" + name);
                drain.setDaemon(true);
                drain.start();
                return i;
            }
            if (System.nanoTime() > until) break;
        }
        p.destroyForcibly();
        throw new IOException(
                "instance " + name + " did not start; see " + logDir.resolve("instance-" + name + ".log"));
    }

    /** One instance inside this JVM (CPU and memory figures then include the load tool). */
    Instance embed(
            String name,
            Map<String, String> settings,
            Map<String, String> connector,
            Map<String, String> contextParams) {
        BenchInstance b = BenchInstance.start(0, 0, settings, connector, contextParams);
        Instance i = new Instance(name, ProcessHandle.current().pid(), b.baseUrl(), b.controlUrl(), null, b);
        instances.add(i);
        return i;
    }

    static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(60))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException(url + " answered " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    static String post(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) throw new IOException(url + " answered " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    static Map<String, Object> stats(Instance i, boolean gc) throws IOException, InterruptedException {
        return io.tally.json.Json.parseObject(get(i.controlUrl() + "/stats" + (gc ? "?gc=1" : "")), 8);
    }

    @Override
    public void close() {
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }

    private synchronized void destroyAll() {
        for (Instance i : instances) {
            if (i.embedded() != null) {
                try {
                    i.embedded().close();
                } catch (RuntimeException ignored) {
                    // stopping anyway
                }
            } else {
                stop(i.process());
            }
        }
        instances.clear();
        if (redis != null) {
            stop(redis);
            redis = null;
        }
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * This JVM's class path: under {@code mvn exec:java} the classes come from a class loader, not
     * from {@code java.class.path}, so the URLs of the loaders are collected first.
     */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        ClassLoader cl = BenchInstance.class.getClassLoader();
        while (cl != null) {
            if (cl instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    try {
                        entries.add(new File(url.toURI()).getPath());
                    } catch (Exception ignored) {
                        // not a file URL
                    }
                }
            }
            cl = cl.getParent();
        }
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty() && !e.contains("plexus-classworlds")) entries.add(e);
        }
        return String.join(File.pathSeparator, entries);
    }

    static void writeString(Path p, String s) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, s);
    }
}
