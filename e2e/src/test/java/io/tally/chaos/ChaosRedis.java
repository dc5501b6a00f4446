package io.tally.chaos;

import io.tally.standin.Proc;
import io.tally.testing.Await;
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
import java.util.Map;

/**
 * The campaign's redis-server: append-only file on ({@code appendfsync always}, so a kill -9 keeps
 * every acknowledged command) or off. A restart either keeps the data directory (AOF replayed) or
 * wipes it first (the node comes back empty, as an ElastiCache node without persistence does).
 */
final class ChaosRedis {
    private final int port;
    private final Path dir;
    private final boolean aof;
    private Proc proc;

    ChaosRedis(int port, Path dir, boolean aof) {
        this.port = port;
        this.dir = dir;
        this.aof = aof;
    }

    int port() {
        return port;
    }

    boolean aof() {
        return aof;
    }

    synchronized void start() {
        if (proc != null && proc.isAlive()) return;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--dir",
                dir.toString(),
                "--appendonly",
                aof ? "yes" : "no"));
        if (aof) cmd.addAll(List.of("--appendfsync", "always"));
        proc = Proc.start("redis", cmd, dir, Map.of(), dir.resolve("redis.log"));
        Proc p = proc;
        Await.until("redis on port " + port, Duration.ofSeconds(30), () -> {
            p.checkAlive();
            return "PONG".equals(command("PING"));
        });
    }

    /** kill -9, then start again: with {@code keepData} the AOF (if on) is replayed, otherwise the node starts empty. */
    synchronized void restart(boolean keepData) {
        kill();
        if (!keepData) wipe();
        start();
    }

    synchronized void kill() {
        if (proc != null) proc.kill();
    }

    synchronized boolean isRunning() {
        return proc != null && proc.isAlive();
    }

    private void wipe() {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (f.getFileName().toString().equals("redis.log")) continue;
                if (Files.isDirectory(f)) {
                    try (var inner = Files.list(f)) {
                        for (Path g : inner.toList()) Files.delete(g);
                    }
                }
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot wipe " + dir, e);
        }
    }

    /** One command on a fresh connection; the reply as text (bulk, status or integer). */
    String command(String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            s.setSoTimeout(3_000);
            OutputStream out = s.getOutputStream();
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
            InputStream in = s.getInputStream();
            String line = readLine(in);
            char kind = line.charAt(0);
            String rest = line.substring(1);
            if (kind == '-') throw new IOException("redis error: " + rest);
            if (kind == '$') {
                int len = Integer.parseInt(rest);
                if (len < 0) return null;
                byte[] b = in.readNBytes(len + 2);
                return new String(b, 0, len, StandardCharsets.UTF_8);
            }
            return rest;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                return b.toString(StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        throw new IOException("connection closed");
    }
}
