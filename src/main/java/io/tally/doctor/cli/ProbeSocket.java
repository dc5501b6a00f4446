package io.tally.doctor.cli;

import io.tally.json.Json;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** A raw protocol client: waits for welcome, answers server pings, matches our pongs. */
final class ProbeSocket implements WebSocket.Listener {
    final CompletableFuture<Map<String, Object>> welcome = new CompletableFuture<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    final AtomicInteger serverPings = new AtomicInteger();
    final Map<Long, CompletableFuture<Long>> pongs = new ConcurrentHashMap<>();
    final AtomicInteger nextId = new AtomicInteger(1);
    final StringBuilder text = new StringBuilder();
    volatile WebSocket socket;

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            String frame = text.toString();
            text.setLength(0);
            handle(webSocket, frame);
        }
        webSocket.request(1);
        return null;
    }

    private void handle(WebSocket webSocket, String frame) {
        Map<String, Object> f;
        try {
            f = Json.parseObject(frame, 32);
        } catch (RuntimeException e) {
            return;
        }
        Object type = f.get("type");
        if ("welcome".equals(type)) {
            welcome.complete(f);
        } else if ("ping".equals(type)) {
            serverPings.incrementAndGet();
            webSocket.sendText("{\"type\":\"pong\"}", true);
        } else if ("pong".equals(type) && f.get("id") instanceof Number id) {
            CompletableFuture<Long> p = pongs.remove(id.longValue());
            if (p != null) p.complete(System.nanoTime());
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete("code " + statusCode + (reason == null || reason.isEmpty() ? "" : ", " + reason));
        welcome.completeExceptionally(new IllegalStateException("closed before welcome: code " + statusCode));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete("error: " + Text.describe(error));
        welcome.completeExceptionally(error);
    }

    /** Round trip of one ping in ms, or -1 if no pong within the timeout. */
    long ping(long timeoutMillis) {
        long id = nextId.getAndIncrement();
        CompletableFuture<Long> pong = new CompletableFuture<>();
        pongs.put(id, pong);
        long t0 = System.nanoTime();
        try {
            socket.sendText("{\"type\":\"ping\",\"id\":" + id + "}", true).get(timeoutMillis, TimeUnit.MILLISECONDS);
            return (pong.get(timeoutMillis, TimeUnit.MILLISECONDS) - t0) / 1_000_000;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return -1;
        } finally {
            pongs.remove(id);
        }
    }

    void abort() {
        if (socket != null) socket.abort();
    }

    void close() {
        WebSocket w = socket;
        if (w == null || w.isOutputClosed()) return;
        try {
            w.sendClose(WebSocket.NORMAL_CLOSURE, "doctor done").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            w.abort();
        }
    }
}
