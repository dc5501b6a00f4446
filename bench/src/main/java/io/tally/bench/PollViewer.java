package io.tally.bench;

import io.tally.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A viewer on {@code /live/poll} over one HTTP/1.1 keep-alive connection: a first poll with
 * {@code "hello":true} and room {@code game-1} at null (its ack is the join), then poll after poll
 * from the last position received, each sent as soon as the previous answer arrives. When the server
 * ends the connection ({@code Connection: close}, e.g. Tomcat's maxKeepAliveRequests) it reconnects
 * and goes on from its position, as a browser would.
 */
final class PollViewer extends Viewer {
    private static final byte[] CRLFCRLF = ascii("\r\n\r\n");

    private String epoch;
    private String offset;
    private boolean closeAfter;

    PollViewer(EventLoop loop, Viewers shared, int index, InetSocketAddress address) {
        super(loop, shared, index, address);
    }

    @Override
    void connected() throws IOException {
        sendPoll();
    }

    private void sendPoll() throws IOException {
        String body = epoch == null
                ? "{\"v\":1,\"hello\":true,\"rooms\":{\"" + BenchInstance.ROOM + "\":null}}"
                : "{\"v\":1,\"rooms\":{\"" + BenchInstance.ROOM + "\":{\"epoch\":\"" + epoch + "\",\"offset\":\""
                        + offset + "\"}}}";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        send(ascii("POST /live/poll HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "Origin: http://" + hostHeader + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + b.length + "\r\n"
                + "\r\n" + body));
    }

    @Override
    int consume(byte[] a, int from, int to) throws IOException {
        int headEnd = indexOf(a, from, to, CRLFCRLF);
        if (headEnd < 0) return from;
        String head = new String(a, from, headEnd - from, StandardCharsets.ISO_8859_1);
        int contentLength = -1;
        closeAfter = false;
        String[] lines = head.split("\r\n");
        String[] statusLine = lines[0].split(" ");
        int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].toLowerCase(Locale.ROOT);
            if (l.startsWith("content-length:"))
                contentLength = Integer.parseInt(l.substring(15).trim());
            else if (l.startsWith("connection:") && l.contains("close")) closeAfter = true;
            else if (l.startsWith("transfer-encoding:") && l.contains("chunked"))
                throw new IOException("chunked poll answers are not supported by the load tool");
        }
        if (contentLength < 0) throw new IOException("poll answer without Content-Length: " + lines[0]);
        int bodyStart = headEnd + 4;
        if (to - bodyStart < contentLength) return from;
        int end = bodyStart + contentLength;
        loop.recorder.pollResponses++;
        loop.recorder.payloadBytes += contentLength;
        if (status == 200) {
            batch(a, bodyStart, end);
        } else {
            loop.recorder.pollErrors++;
            if (shared.firstFailure == null)
                shared.firstFailure =
                        "poll " + status + ": " + new String(a, bodyStart, end - bodyStart, StandardCharsets.UTF_8);
        }
        next(status == 200 ? 0 : 1000);
        return end;
    }

    private void batch(byte[] a, int s, int e) {
        double nowMs = Publisher.epochMillis();
        long nowNanos = System.nanoTime();
        Map<String, Object> batch = Json.parseObject(new String(a, s, e - s, StandardCharsets.UTF_8), 64);
        @SuppressWarnings("unchecked")
        List<Object> frames = (List<Object>) batch.get("frames");
        for (Object o : frames) {
            @SuppressWarnings("unchecked")
            Map<String, Object> f = (Map<String, Object>) o;
            String type = (String) f.get("type");
            switch (type) {
                case "ack" -> {
                    position(f);
                    markJoined();
                }
                case "message" -> {
                    position(f);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> data = (Map<String, Object>) f.get("data");
                    long seq = ((Number) data.get("seq")).longValue();
                    double t = ((Number) data.get("t")).doubleValue();
                    loop.recorder.message(shared, index, seq, t, nowMs, nowNanos);
                }
                case "reset" -> {
                    position(f);
                    loop.recorder.resets++;
                }
                default -> {
                    // welcome, reconnect: nothing to do
                }
            }
        }
    }

    private void position(Map<String, Object> frame) {
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) frame.get("position");
        if (p == null) return;
        epoch = (String) p.get("epoch");
        offset = (String) p.get("offset");
    }

    private void next(long delayMillis) throws IOException {
        if (closeAfter) {
            closeChannel();
            loop.recorder.pollReconnects++;
            loop.later(delayMillis, this::open);
        } else if (delayMillis > 0) {
            loop.later(delayMillis, () -> {
                try {
                    sendPoll();
                } catch (IOException ex) {
                    onFailure(ex);
                }
            });
        } else {
            sendPoll();
        }
    }

    @Override
    void closedByPeer() {
        // The server ended the keep-alive connection between answers: reconnect and poll on.
        closeChannel();
        if (dead) return;
        loop.recorder.pollReconnects++;
        loop.later(joined ? 10 : 500, this::open);
    }
}
