package io.tally.scoreboard.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A throwaway {@code redis-server} on a free loopback port, for the store tests. (The shared
 * {@code io.tally.testing.RedisServer} replaces this once it is on main.)
 */
public final class LocalRedis implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Process process;

    private LocalRedis(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public static LocalRedis start() {
        try {
            LocalRedis r = new LocalRedis(freePort(), Files.createTempDirectory("tally-redis-"));
            r.launch();
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void launch() throws IOException {
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("PING\r\n".getBytes());
                byte[] buf = new byte[7];
                if (s.getInputStream().read(buf) > 0 && new String(buf).startsWith("+PONG")) return;
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Starts again on the same port, empty. */
    public void restart() throws IOException {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
