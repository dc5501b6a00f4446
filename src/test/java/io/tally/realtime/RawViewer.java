package io.tally.realtime;

import io.tally.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket viewer speaking the raw protocol (no client library): it keeps every frame it receives. */
final class RawViewer implements AutoCloseable {
    private final BlockingQueue<Map<String, Object>> frames = new LinkedBlockingQueue<>();
    private final WebSocket socket;
    private volatile boolean closed;

    private RawViewer(HttpClient http, String url) {
        this.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> frame = (Map<String, Object>) Json.parse(partial.toString());
                            partial.setLength(0);
                            frames.add(frame);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        closed = true;
                        frames.add(Map.of("type", "closed", "code", statusCode));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closed = true;
                        frames.add(Map.of("type", "closed", "error", String.valueOf(error)));
                    }
                }).join();
    }

    static RawViewer connect(HttpClient http, String url) {
        RawViewer v = new RawViewer(http, url);
        Map<String, Object> welcome = v.next(Duration.ofSeconds(10));
        if (!"welcome".equals(welcome.get("type"))) throw new AssertionError("expected welcome, got " + welcome);
        return v;
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }


    /** The next frame other than ping (answered with pong); fails after the timeout. */
    Map<String, Object> next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Map<String, Object> f;
            try {
                f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (f == null) throw new AssertionError("no frame within " + timeout);
            if ("ping".equals(f.get("type"))) {
                if (!closed) send("{\"type\":\"pong\"}");
                continue;
            }
            return f;
        }
    }

    /** Frames until {@code count} message frames arrived (or the connection closed); returns all of them. */
    List<Map<String, Object>> collect(int count, Duration timeout) {
        List<Map<String, Object>> out = new ArrayList<>();
        int messages = 0;
        while (messages < count) {
            Map<String, Object> f = next(timeout);
            out.add(f);
            if ("message".equals(f.get("type"))) messages++;
            if ("closed".equals(f.get("type"))) break;
        }
        return out;
    }

    @Override
    public void close() {
        if (!closed) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // already gone
            }
        }
        socket.abort();
    }
}
