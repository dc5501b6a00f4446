package io.tally.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} on a free loopback port, without persistence, for tests. It can be
 * killed with SIGKILL and restarted on the same port (coming back empty, as an ElastiCache node
 * without persistence does). The process stops on {@link #close()} or, at the latest, when the JVM exits.
 */
public final class RedisServer implements AutoCloseable {
    private static final Duration START_DEADLINE = Duration.ofSeconds(15);

    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private final String password;
    private final Thread reaper = new Thread(this::destroyQuietly, "redis-server-reaper");
    private Process process;

    private RedisServer(int port, Path dir, List<String> extraArgs) {
        this.port = port;
        this.dir = dir;
        this.extraArgs = List.copyOf(extraArgs);
        int i = extraArgs.indexOf("--requirepass");
        this.password = i >= 0 ? extraArgs.get(i + 1) : null;
    }

    /** Starts a standalone server; {@code extraArgs} are redis-server options such as {@code "--stream-node-max-entries", "4"}. */
    public static RedisServer start(String... extraArgs) {
        return start(List.of(extraArgs));
    }

    static RedisServer start(List<String> extraArgs) {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = Ports.free();
            try {
                Path dir = Files.createDirectories(Path.of("target", "redis", port + "-" + System.nanoTime()));
                RedisServer server = new RedisServer(port, dir, extraArgs);
                Runtime.getRuntime().addShutdownHook(server.reaper);
                try {
                    server.launch();
                    return server;
                } catch (IOException e) {
                    server.close(); // most likely another process took the port between probe and bind
                    last = e;
                }
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IllegalStateException("could not start redis-server", last);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public String hostAndPort() {
        return "127.0.0.1:" + port;
    }

    Path dir() {
        return dir;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: the server vanishes without closing anything gracefully, and loses all data. */
    public synchronized void kill9() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts the server again on the same port (empty: there is no persistence). */
    public synchronized void restart() {
        kill9();
        try {
            launch();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server did not come back on port " + port, e);
        }
    }

    /**
     * Starts the server again on the same port, empty, with {@code moreArgs} for this run only (e.g.
     * an ACL rule that keeps subscribers out until a test lets them in).
     */
    public synchronized void restartWith(String... moreArgs) {
        kill9();
        try {
            launch(List.of(moreArgs));
        } catch (IOException e) {
            throw new IllegalStateException("redis-server did not come back on port " + port, e);
        }
    }

    /** Sends one command over a fresh connection and returns the reply as text (bulk, status or integer). */
    public String command(String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            if (password != null) {
                send(out, "AUTH", password);
                readReply(socket.getInputStream());
            }
            send(out, args);
            return readReply(socket.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException("redis command failed on port " + port + ": " + e.getMessage(), e);
        }
    }

    private static void send(OutputStream out, String... args) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            req.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            req.writeBytes(b);
            req.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(req.toByteArray());
        out.flush();
    }

    @Override
    public synchronized void close() {
        kill9();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway and finds nothing to do
        }
    }

    private synchronized void launch() throws IOException {
        launch(List.of());
    }

    private synchronized void launch(List<String> moreArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toAbsolutePath().toString()));
        cmd.addAll(extraArgs);
        cmd.addAll(moreArgs);
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("redis.log").toFile()))
                .start();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(
                        "redis-server exited with " + process.exitValue() + "; see " + dir.resolve("redis.log"));
            }
            try {
                if ("PONG".equals(command("PING"))) return;
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            pause(20);
        }
        destroyQuietly();
        throw new IOException("redis-server did not answer PING within " + START_DEADLINE);
    }

    private void destroyQuietly() {
        Process p = process;
        if (p != null) p.destroyForcibly();
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readReply(InputStream in) throws IOException {
        String line = readLine(in);
        char kind = line.charAt(0);
        String rest = line.substring(1);
        switch (kind) {
            case '+':
            case ':':
                return rest;
            case '-':
                throw new IllegalStateException("redis error: " + rest);
            case '$': {
                int len = Integer.parseInt(rest);
                if (len < 0) return null;
                byte[] b = in.readNBytes(len + 2);
                return new String(b, 0, len, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(rest);
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < n; i++) sb.append(readReply(in)).append('\n');
                return sb.toString();
            }
            default:
                throw new IOException("unexpected reply: " + line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read(); // '\n'
                return b.toString(StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        throw new IOException("connection closed");
    }
}
