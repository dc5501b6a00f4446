package io.tally.chaos;

import io.tally.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * A viewer written from docs/PROTOCOL.md alone: raw frames over the JDK's WebSocket or HTTP
 * long-polling, no Tally client code. It keeps one position per room and resumes from it on every
 * (re)connection, hopping between instances and transports as its {@link Router} says, and logs
 * what it received ({@link Entry}) for the {@link Checker}. Everything is asynchronous (many
 * viewers share a few threads); a viewer's state changes under its own lock, and callbacks of a
 * connection it has already left are ignored.
 */
final class Viewer {
    /** Where the next connection goes. */
    interface Router {
        Target next(Viewer v, Random rng, boolean afterFailure);
    }

    record Target(String base, boolean websocket, String label) {}

    /** One line of the raw client log. {@code kind}: open, ack, msg, reset, error, close, dead, fail. */
    record Entry(long t, String kind, int session, String via, Pos pos, long version, String detail) {}

    /** Why connections ended, over all viewers of this JVM (for the soak's and the storm's progress lines). */
    static final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> ENDINGS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** How long a WebSocket handshake may take (a loaded machine needs more than a browser would wait). */
    static volatile Duration handshakeTimeout = Duration.ofSeconds(5);

    final int id;
    final String room;
    private final Random rng;
    private final Router router;
    private final ScheduledExecutorService timers;
    private final HttpClient client;
    private final boolean recording;
    private final long hopMin;
    private final long hopMax;
    private final long backoffBase;
    private final long backoffMax;
    private final long t0;

    private final List<Entry> log = new ArrayList<>();
    private LongConsumer latencySink;
    private LongConsumer attemptSink;
    private LongConsumer welcomeSink;
    private Pos pos;
    private int session;
    private int attempts;
    private boolean stopped;
    private WebSocket ws;
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
    private String via = "";
    private long lastFrameAt;
    private long deadAfter = 60_000;
    private int requestId;
    private long slowUntil;
    private long throttledUntil;
    private long throttleMillis;
    private boolean connected;

    // online counters (the soak and the storm keep no log)
    long messages;
    long duplicates;
    long outOfOrder;
    long resets;
    long reconnects;
    long firstConnectAt = -1;
    long reconnectedAt = -1;
    private String lastEpoch;
    private String lastOffset;

    // the stretch of unbroken history being received, reported to the online check
    private Delivery delivery;
    private String stretchEpoch;
    private String stretchFrom;
    private String stretchTo;
    private long stretchReceived;

    Viewer(
            int id,
            String room,
            long seed,
            Router router,
            ScheduledExecutorService timers,
            HttpClient client,
            boolean recording,
            long hopMin,
            long hopMax,
            long backoffBase,
            long backoffMax,
            long t0) {
        this.id = id;
        this.room = room;
        this.rng = new Random(seed);
        this.router = router;
        this.timers = timers;
        this.client = client;
        this.recording = recording;
        this.hopMin = hopMin;
        this.hopMax = hopMax;
        this.backoffBase = backoffBase;
        this.backoffMax = backoffMax;
        this.t0 = t0;
    }

    /** Starts from {@code start} (a snapshot's position) or, null, from the room's end. */
    synchronized void start(Pos start) {
        pos = start;
        if (start != null) note("snapshot", start, -1, "");
        beginStretch(start);
        connect(false);
    }

    synchronized void stop() {
        stopped = true;
        leave();
        endStretch();
    }

    /** Judges this viewer's delivery online (for runs that keep no log); call before {@link #start}. */
    synchronized void checkedBy(Delivery d) {
        this.delivery = d;
    }

    private void beginStretch(Pos from) {
        stretchEpoch = from == null ? null : from.epoch();
        stretchFrom = from == null ? null : from.offset();
        stretchTo = stretchFrom;
        stretchReceived = 0;
    }

    private void endStretch() {
        if (delivery != null && stretchEpoch != null)
            delivery.stretch(room, stretchEpoch, stretchFrom, stretchTo, stretchReceived);
        stretchEpoch = null;
    }

    /** The online check's view of one message: in order, repeated, or of another epoch without a reset. */
    private void checkOnline(Pos p) {
        if (delivery == null) return;
        delivery.exists(room, p);
        delivery.messages.increment();
        if (stretchEpoch == null || !stretchEpoch.equals(p.epoch())) {
            if (stretchEpoch != null) delivery.silentEpochChanges.increment();
            endStretch();
            beginStretch(p);
            return;
        }
        int c = Pos.compareOffsets(p.offset(), stretchTo);
        if (c > 0) {
            stretchReceived++;
            stretchTo = p.offset();
        } else if (c == 0) {
            delivery.duplicated.increment();
        } else {
            delivery.outOfOrder.increment();
        }
    }

    synchronized Pos position() {
        return pos;
    }

    synchronized List<Entry> log() {
        return List.copyOf(log);
    }

    synchronized boolean isConnected() {
        return connected;
    }

    synchronized void latencies(LongConsumer sink) {
        this.latencySink = sink;
    }

    /** Called with the wall-clock time of every connection attempt, and of every welcome. */
    synchronized void attempts(LongConsumer onAttempt, LongConsumer onWelcome) {
        this.attemptSink = onAttempt;
        this.welcomeSink = onWelcome;
    }

    /** Stops reading for {@code millis} (WebSocket: the server's sends back up; polling: the next poll waits). */
    synchronized void slowDown(long millis) {
        slowUntil = now() + millis;
        note("slow", null, -1, millis + " ms");
    }

    /** A background tab: for {@code millis}, answers to pings and the viewer's own timers run {@code lag} ms late. */
    synchronized void throttle(long millis, long lag) {
        throttledUntil = now() + millis;
        throttleMillis = lag;
        note("throttled", null, -1, millis + " ms, lag " + lag + " ms");
    }

    /** Leaves the current connection now and reconnects elsewhere (a hop). */
    synchronized void hop() {
        if (stopped) return;
        leave();
        connect(false);
    }

    private long now() {
        return System.currentTimeMillis() - t0;
    }

    private long lag() {
        return now() < throttledUntil ? throttleMillis : 0;
    }

    private void note(String kind, Pos p, long version, String detail) {
        if (recording) log.add(new Entry(now(), kind, session, via, p, version, detail));
    }

    private void leave() {
        session++;
        connected = false;
        if (ws != null) {
            WebSocket w = ws;
            ws = null;
            w.abort();
        }
    }

    private void connect(boolean afterFailure) {
        if (stopped) return;
        int s = ++session;
        Target target = router.next(this, rng, afterFailure);
        via = target.label();
        note("open", pos, -1, target.base());
        if (firstConnectAt < 0) firstConnectAt = System.currentTimeMillis();
        if (attemptSink != null) attemptSink.accept(System.currentTimeMillis());
        if (target.websocket()) openWebSocket(s, target);
        else poll(s, target, true);
        if (hopMax > 0) {
            long after = hopMin + (long) (rng.nextDouble() * (hopMax - hopMin));
            timers.schedule(() -> hopIf(s), after + lag(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void hopIf(int s) {
        if (s == session && !stopped) hop();
    }

    private void failed(int s, String why) {
        if (s != session || stopped) return;
        note("fail", pos, -1, why);
        ENDINGS.computeIfAbsent(why.replaceAll("[0-9]+", "N"), k -> new java.util.concurrent.atomic.LongAdder())
                .increment();
        leave();
        reconnects++;
        long delay = (long) (rng.nextDouble() * Math.min(backoffMax, backoffBase * (1L << Math.min(attempts++, 20))));
        int next = session;
        timers.schedule(() -> reconnectIf(next), delay + lag(), TimeUnit.MILLISECONDS);
    }

    private synchronized void reconnectIf(int s) {
        if (s == session && !stopped) connect(true);
    }

    // ---- WebSocket ----

    private void openWebSocket(int s, Target target) {
        String url = target.base().replaceFirst("^http", "ws") + "/live/ws" + (rng.nextBoolean() ? "?batch=1" : "");
        client.newWebSocketBuilder()
                .connectTimeout(handshakeTimeout)
                .buildAsync(URI.create(url), new Listener(s))
                .whenComplete((w, e) -> opened(s, w, e));
    }

    private synchronized void opened(int s, WebSocket w, Throwable e) {
        if (e != null) {
            failed(s, "connect: " + rootMessage(e));
            return;
        }
        if (s != session || stopped) {
            w.abort();
            return;
        }
        ws = w;
        lastFrameAt = now();
        watch(s);
    }

    private void watch(int s) {
        timers.schedule(() -> checkAlive(s), 1_000, TimeUnit.MILLISECONDS);
    }

    private synchronized void checkAlive(int s) {
        if (s != session || stopped) return;
        if (now() - lastFrameAt > deadAfter + lag()) {
            note("dead", pos, -1, "no frame for " + (now() - lastFrameAt) + " ms");
            failed(s, "server silent");
            return;
        }
        watch(s);
    }

    private void send(WebSocket w, String text) {
        sendChain = sendChain.handle((x, e) -> null).thenCompose(x -> w.sendText(text, true));
    }

    private final class Listener implements WebSocket.Listener {
        private final int s;
        private final StringBuilder partial = new StringBuilder();

        Listener(int s) {
            this.s = s;
        }

        @Override
        public void onOpen(WebSocket w) {
            w.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                onWsFrame(s, w, text);
            }
            requestMore(s, w);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            failed(s, code, reason);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            failedWs(s, "error: " + rootMessage(error));
        }
    }

    private synchronized void failed(int s, int code, String reason) {
        if (s != session) return;
        note("close", pos, -1, code + " " + reason);
        failed(s, "closed " + code);
    }

    private synchronized void failedWs(int s, String why) {
        failed(s, why);
    }

    private synchronized void requestMore(int s, WebSocket w) {
        long wait = slowUntil - now();
        if (wait > 0 && s == session) {
            timers.schedule(() -> w.request(1), wait, TimeUnit.MILLISECONDS);
        } else {
            w.request(1);
        }
    }

    private synchronized void onWsFrame(int s, WebSocket w, String text) {
        if (s != session || stopped) return;
        lastFrameAt = now();
        Object parsed = Json.parse(text);
        if (parsed instanceof List<?> batch) {
            for (Object f : batch) frame(s, (Map<?, ?>) f, w);
            return;
        }
        Map<?, ?> f = (Map<?, ?>) parsed;
        String type = String.valueOf(f.get("type"));
        switch (type) {
            case "welcome" -> {
                connected = true;
                attempts = 0;
                deadAfter = num(f.get("heartbeat"), 25_000) + num(f.get("timeout"), 20_000);
                if (reconnectedAt < 0 && reconnects > 0) reconnectedAt = System.currentTimeMillis();
                if (welcomeSink != null) welcomeSink.accept(System.currentTimeMillis());
                String since = pos == null ? "" : ",\"since\":" + pos.json();
                note("welcome", pos, -1, String.valueOf(f.get("instance")));
                send(w, "{\"type\":\"subscribe\",\"id\":" + (++requestId) + ",\"room\":\"" + room + "\"" + since + "}");
            }
            case "ping" -> {
                if (f.get("id") != null) return;
                long lag = lag();
                if (lag == 0) send(w, "{\"type\":\"pong\"}");
                else timers.schedule(() -> pongLate(s, w), lag, TimeUnit.MILLISECONDS);
            }
            case "reconnect" -> {
                note("reconnect", pos, -1, String.valueOf(f.get("after")));
                failed(s, "server asked to reconnect");
            }
            default -> frame(s, f, w);
        }
    }

    private synchronized void pongLate(int s, WebSocket w) {
        if (s == session) send(w, "{\"type\":\"pong\"}");
    }

    // ---- long-polling ----

    private void poll(int s, Target target, boolean hello) {
        long wait = slowUntil - now();
        if (wait > 0) {
            timers.schedule(() -> pollIf(s, target, hello), wait, TimeUnit.MILLISECONDS);
            return;
        }
        String rooms = "{\"" + room + "\":" + (pos == null ? "null" : pos.json()) + "}";
        String body = "{\"v\":1" + (hello ? ",\"hello\":true" : "") + ",\"rooms\":" + rooms + "}";
        HttpRequest r = HttpRequest.newBuilder(URI.create(target.base() + "/live/poll"))
                .timeout(Duration.ofMillis(deadAfter == 60_000 ? 30_000 : deadAfter + 3_000))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        client.sendAsync(r, HttpResponse.BodyHandlers.ofString()).whenComplete((res, e) -> polled(s, target, res, e));
    }

    private synchronized void pollIf(int s, Target target, boolean hello) {
        if (s == session && !stopped) poll(s, target, hello);
    }

    private synchronized void polled(int s, Target target, HttpResponse<String> res, Throwable e) {
        if (s != session || stopped) return;
        if (e != null) {
            failed(s, "poll: " + rootMessage(e));
            return;
        }
        if (res.statusCode() != 200) {
            note("error", pos, -1, "HTTP " + res.statusCode());
            failed(s, "poll HTTP " + res.statusCode());
            return;
        }
        Map<?, ?> batch = (Map<?, ?>) Json.parse(res.body());
        for (Object o : (List<?>) batch.get("frames")) {
            Map<?, ?> f = (Map<?, ?>) o;
            if ("welcome".equals(f.get("type"))) {
                deadAfter = num(f.get("limits") instanceof Map<?, ?> l ? l.get("pollHold") : null, 25_000)
                        + num(f.get("timeout"), 20_000);
                connected = true;
                attempts = 0;
                note("welcome", pos, -1, String.valueOf(f.get("instance")));
                continue;
            }
            frame(s, f, null);
            if (s != session) return; // the frame made us leave
        }
        poll(s, target, false);
    }

    // ---- frames of both transports ----

    private void frame(int s, Map<?, ?> f, WebSocket w) {
        String type = String.valueOf(f.get("type"));
        switch (type) {
            case "ack" -> {
                Pos p = Pos.of(f.get("position"));
                note("ack", p, -1, pos == null ? "from-now" : "since " + pos);
                if (pos == null) {
                    pos = p;
                    beginStretch(p);
                }
            }
            case "message" -> message(f);
            case "reset" -> {
                Pos p = Pos.of(f.get("position"));
                note("reset", p, -1, String.valueOf(f.get("reason")) + " from " + pos);
                resets++;
                if (delivery != null) {
                    endStretch();
                    delivery.reset(String.valueOf(f.get("reason")));
                }
                beginStretch(p);
                pos = p;
                lastEpoch = p.epoch();
                lastOffset = p.offset();
            }
            case "error" -> {
                String code = String.valueOf(f.get("code"));
                note("error", pos, -1, code);
                if (!"rate-limited".equals(code)) failed(s, "error " + code);
            }
            case "pong" -> {}
            default -> note("other", pos, -1, type);
        }
    }

    private void message(Map<?, ?> f) {
        if (!room.equals(f.get("room"))) return;
        Pos p = Pos.of(f.get("position"));
        Map<?, ?> data = (Map<?, ?>) f.get("data");
        Map<?, ?> game = data == null ? null : (Map<?, ?>) data.get("game");
        long version = game == null ? -1 : num(game.get("version"), -1);
        String score = game == null
                ? ""
                : num(((Map<?, ?>) game.get("home")).get("score"), -1) + "-"
                        + num(((Map<?, ?>) game.get("away")).get("score"), -1);
        note("msg", p, version, score);
        messages++;
        checkOnline(p);
        if (lastEpoch != null && lastEpoch.equals(p.epoch()) && Pos.compareOffsets(p.offset(), lastOffset) <= 0) {
            if (Pos.compareOffsets(p.offset(), lastOffset) == 0) duplicates++;
            else outOfOrder++;
        }
        lastEpoch = p.epoch();
        lastOffset = p.offset();
        pos = p;
        if (latencySink != null && game != null && game.get("updated") != null) {
            try {
                latencySink.accept(System.currentTimeMillis()
                        - Instant.parse(game.get("updated").toString()).toEpochMilli());
            } catch (RuntimeException ignored) {
                // not a timestamp: no latency sample
            }
        }
    }

    static long num(Object o, long dflt) {
        return o instanceof Number n ? n.longValue() : dflt;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
