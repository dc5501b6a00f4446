package io.tally.testing;

import io.tally.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test client that speaks the wire protocol raw over the JDK's WebSocket: no Tally client code.
 * Frames are parsed to maps and queued; waits have deadlines.
 */
public final class RawWebSocket implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(10);
    /** The type under which an array frame (a batch of messages) is queued. */
    public static final String BATCH = "[batch]";

    private final WebSocket socket;
    private final LinkedBlockingQueue<Map<String, Object>> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final boolean autoPong;
    private volatile boolean paused;

    private RawWebSocket(WebSocket.Builder builder, URI uri, boolean autoPong) {
        this.autoPong = autoPong;
        this.socket = builder.buildAsync(uri, new Listener()).join();
    }

    public static RawWebSocket connect(String url) {
        return connect(url, null, true);
    }

    /**
     * Connects through a shared client (hundreds of sockets need not start hundreds of selector
     * threads) with extra request headers as name/value pairs, e.g. {@code "X-Forwarded-For", "…"}.
     * Fails with the handshake's {@link java.util.concurrent.CompletionException} when refused.
     */
    public static RawWebSocket connect(HttpClient client, String url, String... headers) {
        WebSocket.Builder b = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return new RawWebSocket(b, URI.create(url), true);
    }

    public static RawWebSocket connect(String url, String origin, boolean autoPong) {
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (origin != null) b.header("Origin", origin);
        return new RawWebSocket(b, URI.create(url), autoPong);
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Stops reading from the socket (the server's sends back up), until {@link #resume}. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
        socket.request(1);
    }

    /** The next frame, or fails after the deadline. */
    public Map<String, Object> next() {
        return next(WAIT);
    }

    public Map<String, Object> next(Duration wait) {
        try {
            Map<String, Object> f = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) throw new AssertionError("no frame within " + wait);
            return f;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Skips frames until one matches (e.g. past heartbeats), failing at the deadline. */
    public Map<String, Object> nextMatching(Predicate<Map<String, Object>> p) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("no matching frame within " + WAIT);
            Map<String, Object> f = next(Duration.ofNanos(left));
            if (p.test(f)) return f;
        }
    }

    public Map<String, Object> nextOfType(String type) {
        return nextMatching(f -> type.equals(f.get("type")));
    }

    /** Returns the frames that arrive within {@code quiet} of each other (for "nothing more" checks). */
    public List<Map<String, Object>> drain(Duration quiet) {
        List<Map<String, Object>> out = new ArrayList<>();
        while (true) {
            try {
                Map<String, Object> f = frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
                if (f == null) return out;
                out.add(f);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The close code the server sent, waiting up to the deadline. */
    public int awaitClose() {
        try {
            return closeCode.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("connection not closed within " + WAIT, e);
        }
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(1000, "bye").get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // Already closing.
            }
        }
        socket.abort();
    }

    /** A batch (a JSON array of message frames) is queued as {@code {"type": "[batch]", "frames": [...]}}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> frame(Object parsed) {
        if (parsed instanceof List<?> batch) return Map.of("type", BATCH, "frames", batch);
        return (Map<String, Object>) parsed;
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                Map<String, Object> f = frame(Json.parse(partial.toString()));
                partial.setLength(0);
                if (autoPong && "ping".equals(f.get("type")) && f.get("id") == null) {
                    ws.sendText("{\"type\":\"pong\"}", true);
                } else {
                    frames.add(f);
                }
            }
            if (!paused) ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closeCode.complete(1006);
        }
    }
}
