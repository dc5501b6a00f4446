package io.tally.standin;

import io.tally.testing.Await;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A throwaway redis-server on a loopback port, without persistence (a restart loses every stream). */
public final class RedisServer {
    private final int port;
    private final Path dir;
    private Proc proc;

    public RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public synchronized void start(Duration timeout) {
        if (proc != null && proc.isAlive()) return;
        String binary = System.getProperty("standin.redis", "redis-server");
        proc = Proc.start(
                "redis",
                List.of(
                        binary,
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString()),
                dir,
                Map.of(),
                dir.resolve("redis.log"));
        Await.until("redis on port " + port, timeout, () -> {
            proc.checkAlive();
            return ping();
        });
    }

    /** SIGTERM and wait: clients see their connections drop. */
    public synchronized void stop() {
        if (proc != null) proc.stop(5_000);
    }

    public synchronized boolean isRunning() {
        return proc != null && proc.isAlive();
    }

    /** True when PING answers PONG. */
    public boolean ping() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            s.setSoTimeout(1_000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
        }
    }
}
