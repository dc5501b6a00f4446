package io.tally.e2e.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.e2e.browser.Browser;
import io.tally.e2e.pages.GamePage;
import io.tally.standin.StandInOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The three things a viewer of a live score gets that others do not, in Chromium and WebKitGTK
 * through the stand-in (HAProxy → nginx → two Tomcats → Redis): one "N watching" total over both
 * instances, one game clock on screens whose own clocks are ±30 s off, and keep-latest for a viewer
 * that reads too slowly while the browsers see every score.
 */
class WatchingClockKeepLatestIT extends StandInScenario {
    private static final long CLOCK_AGREEMENT_MS = 100;

    @Override
    StandInOptions options() {
        // A small send queue, so a stalled viewer backs up past the conflation mark (a quarter) soon.
        // Scores posted faster than a slow reader takes them: no write limit in the way.
        return StandInOptions.defaults()
                .instances(2)
                .env("TALLY_SEND_QUEUE_LIMIT", "64")
                .env("TALLY_WRITE_RATE", "1000")
                .env("TALLY_WRITE_BURST", "1000");
    }

    @Test
    void bothInstancesViewersSeeOneWatchingTotalThatFallsWhenOneLeaves() {
        String id = api.createGame("Count Home", "Count Away");
        GamePage chromium = viewOn(viewer("chromium"), standIn.url(), id, 0, "websocket");
        GamePage webkit = viewOn(viewer("webkit"), standIn.url(), id, 1, "websocket");
        long t0 = System.nanoTime();
        awaitWatching(chromium, 2);
        awaitWatching(webkit, 2);
        long both = (System.nanoTime() - t0) / 1_000_000;
        // Landing on the wanted instance may have taken reloads, whose departures are told later: wait
        // until 2 holds past the documented fall delay (two samples a second apart, and the exchange).
        awaitSteadyWatching(List.of(chromium, webkit), 2, Duration.ofSeconds(4));
        assertEquals("2 watching", chromium.js("return document.querySelector('[data-watching]').textContent;"));
        assertEquals("2 watching", webkit.js("return document.querySelector('[data-watching]').textContent;"));

        leave(viewer("webkit"));
        long t1 = System.nanoTime();
        awaitWatching(chromium, 1);
        long fell = (System.nanoTime() - t1) / 1_000_000;
        // Documented: sampled every second, a fall told once two samples show it (plus the exchange through Redis).
        assertTrue(fell < 10_000, "the total fell after " + fell + " ms");
        System.out.println("WatchingClockKeepLatestIT: both instances' viewers showed 2 watching " + both
                + " ms after the second joined; 1 watching " + fell + " ms after one left");
    }

    @Test
    void screensWhoseClocksAre30SecondsOffShowTheSameGameClock() {
        String id = api.createGame("Clock Home", "Clock Away");
        api.clock(id, "set", 600_000L);
        api.clock(id, "start", null);
        GamePage chromium = openSkewed(viewer("chromium"), id, 30_000);
        GamePage webkit = openSkewed(viewer("webkit"), id, -30_000);
        for (GamePage p : List.of(chromium, webkit)) {
            p.waitFor(
                    "the running clock shown",
                    EVENTUALLY,
                    d -> "true"
                                    .equals(
                                            p.js(
                                                    "var c = document.getElementById('clock'); return c.hidden ? null : c.dataset.running;"))
                            ? true
                            : null);
        }
        // Let each page take its quick server-clock samples (a second apart after connecting).
        long settle = System.nanoTime() + 5_000_000_000L;
        chromium.waitFor(
                "clock samples taken", Duration.ofSeconds(10), d -> System.nanoTime() - settle >= 0 ? true : null);

        long worst = 0;
        for (int i = 0; i < 5; i++) {
            double[] c = reading(chromium);
            double[] w = reading(webkit);
            // Counting down: what WebKit shows should be Chromium's reading less the real time between the reads.
            double diff = (w[0] + w[1]) - (c[0] + c[1]);
            assertTrue(
                    Math.abs(diff) <= CLOCK_AGREEMENT_MS,
                    "the clocks differ by " + diff + " ms (chromium " + c[0] + " at " + c[1] + ", webkit " + w[0]
                            + " at " + w[1] + ")");
            worst = Math.max(worst, Math.round(Math.abs(diff)));
        }
        api.clock(id, "stop", null);
        long frozen = ((Number) ((Map<?, ?>) api.game(id).get("clock")).get("ms")).longValue();
        for (GamePage p : List.of(chromium, webkit)) {
            p.waitFor(
                    "the stopped clock",
                    EVENTUALLY,
                    d -> "false".equals(p.js("return document.getElementById('clock').dataset.running;"))
                            ? true
                            : null);
            assertEquals(String.valueOf(frozen), p.js("return document.getElementById('clock').dataset.ms;"));
        }
        assertEquals(chromium.clock(), webkit.clock(), "both show the same frozen clock");
        System.out.println(
                "WatchingClockKeepLatestIT: game clock in Chromium (+30 s) and WebKitGTK (-30 s) agreed within " + worst
                        + " ms over 5 reads; stopped, both show " + chromium.clock());
    }

    @Test
    void aSlowViewerStaysConnectedAndEndsOnTheCurrentScoreWhileTheBrowsersSeeEveryScore() throws Exception {
        String id = api.createGame("Fast Home", "Fast Away");
        GamePage chromium = viewOn(viewer("chromium"), standIn.url(), id, 0, "websocket");
        GamePage webkit = viewOn(viewer("webkit"), standIn.url(), id, 1, "websocket");
        String ws = standIn.url().toString().replaceFirst("/$", "").replaceFirst("^http", "ws") + "/live/ws";
        try (SlowViewer slow = new SlowViewer(ws, "game-" + id, 2 * 1024)) {
            slow.awaitAck();
            int total = 200;
            long t0 = System.nanoTime();
            // Four scorers' programs at once, far faster than the slow viewer reads.
            List<Thread> scorers = new java.util.ArrayList<>();
            for (int s = 0; s < 4; s++) {
                String team = s % 2 == 0 ? "home" : "away";
                Thread t = new Thread(() -> {
                    for (int k = 0; k < total / 4; k++) api.score(id, team, 1);
                });
                t.start();
                scorers.add(t);
            }
            for (Thread t : scorers) t.join(EVENTUALLY.toMillis());
            long postMillis = (System.nanoTime() - t0) / 1_000_000;
            Map<String, Object> game = api.game(id);
            int version = TallyApi.version(game);
            assertEquals(total + 1, version);
            slow.readAt(1024 * 1024); // the phone's signal is back: it catches up
            for (GamePage p : List.of(chromium, webkit)) p.awaitVersion(version, EVENTUALLY);
            assertMatchesServer("chromium", chromium, game);
            assertMatchesServer("webkit", webkit, game);

            long deadline = System.nanoTime() + EVENTUALLY.toNanos();
            while (slow.lastVersion.get() < version && System.nanoTime() < deadline && !slow.closed) {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // poll interval
            }
            long slowMillis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(
                    version,
                    slow.lastVersion.get(),
                    "the slow viewer ends on the current game (closed: " + slow.closed + ")");
            assertEquals(TallyApi.homeScore(game) + ":" + TallyApi.awayScore(game), slow.lastScore, "and its score");
            assertFalse(slow.closed, "the slow viewer is still connected");
            assertTrue(slow.ordered, "positions only moved forward");
            // Whether it was conflated depends on the backlog outgrowing the proxies' and sockets' buffers
            // on the way (1,000 scores, ~570 KiB, were all held there without the queue backing up): reported, not
            // asserted.
            assertTrue(slow.messages.get() <= total, slow.messages.get() + " messages for " + total + " scores");
            System.out.println("WatchingClockKeepLatestIT: " + total + " scores posted in " + postMillis
                    + " ms; both browsers showed every one; "
                    + "the viewer reading 2 KiB/s while they were posted got " + slow.messages.get() + " messages ("
                    + slow.conflated.get() + " conflated, "
                    + slow.bytes.get() / 1024 + " KiB) and showed the current score after " + slowMillis + " ms");
        }
    }

    private static void awaitSteadyWatching(List<GamePage> pages, int n, Duration hold) {
        long deadline = System.nanoTime() + EVENTUALLY.toNanos();
        long since = System.nanoTime();
        while (System.nanoTime() - since < hold.toNanos()) {
            assertTrue(System.nanoTime() < deadline, n + " watching never held for " + hold);
            for (GamePage p : pages) {
                if (!String.valueOf(n).equals(watching(p))) {
                    awaitWatching(p, n);
                    since = System.nanoTime();
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); // poll interval
        }
    }

    private static Object watching(GamePage p) {
        return p.js("return document.querySelector('[data-watching]').dataset.count || null;");
    }

    private static void awaitWatching(GamePage p, int n) {
        p.waitFor(
                n + " watching shown (shows "
                        + p.js("return document.querySelector('[data-watching]').dataset.count || null;") + ")",
                EVENTUALLY,
                d -> String.valueOf(n)
                                .equals(p.js("return document.querySelector('[data-watching]').dataset.count || null;"))
                        ? true
                        : null);
    }

    /** The clock's milliseconds as last drawn, and the real time (ms) of that frame: read in the frame after the page's. */
    private static double[] reading(GamePage p) {
        List<?> r = (List<?>) ((JavascriptExecutor) p.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                requestAnimationFrame(() => done([Number(document.getElementById('clock').dataset.ms),
                                                  performance.timeOrigin + performance.now()]));
                """);
        return new double[] {((Number) r.get(0)).doubleValue(), ((Number) r.get(1)).doubleValue()};
    }

    /**
     * Opens the game view with the page's clock (Date) {@code skewMillis} off before any page script
     * runs: on a same-origin page without scripts, shift Date, take the game page's address, then
     * write the game page into the document (the window, and so its Date, stays).
     */
    private GamePage openSkewed(Browser b, String gameId, long skewMillis) {
        String base = standIn.url().toString().replaceFirst("/$", "");
        b.driver().get(base + "/no-such-page-for-clock-tests");
        Object r = ((JavascriptExecutor) b.driver()).executeAsyncScript("""
                const [skew, id, done] = arguments;
                const RealDate = Date;
                class SkewedDate extends RealDate {
                  constructor(...args) { if (args.length === 0) super(RealDate.now() + skew); else super(...args); }
                  static now() { return RealDate.now() + skew; }
                }
                fetch('/game.html', {cache: 'no-store'}).then(r => r.text()).then(html => {
                  window.Date = SkewedDate;
                  history.replaceState(null, '', '/game.html?id=' + encodeURIComponent(id));
                  done(true);
                  setTimeout(() => { document.open(); document.write(html); document.close(); }, 0);
                }, e => done(String(e)));
                """, skewMillis, gameId);
        assertEquals(Boolean.TRUE, r, "fetched the game page");
        GamePage page = GamePage.attach(b.driver());
        page.waitFor(
                "the written game page", load(), d -> page.js("return document.getElementById('game') ? true : null;"));
        page.recordConsole();
        page.awaitLoaded();
        long before = System.currentTimeMillis();
        long pageNow = ((Number) page.js("return Date.now();")).longValue();
        assertTrue(
                Math.abs(pageNow - before - skewMillis) < 2_000,
                "the page's clock is " + skewMillis + " ms off (" + (pageNow - before) + ")");
        page.connection().awaitConnected("websocket", EVENTUALLY);
        return page;
    }

    /** A viewer on a raw socket (small receive buffer) that reads at most {@code bytesPerSecond} (changeable), answering heartbeats. */
    private static final class SlowViewer implements AutoCloseable {
        final java.util.concurrent.atomic.AtomicLong lastVersion = new java.util.concurrent.atomic.AtomicLong(-1);
        final java.util.concurrent.atomic.AtomicLong messages = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong conflated = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
        volatile String lastScore;
        volatile boolean closed;
        volatile boolean ordered = true;
        volatile boolean acked;
        private String lastOffset;
        private final io.tally.testing.RawHandshake h;
        private final java.net.Socket socket;

        private volatile int bytesPerSecond;

        void readAt(int bytesPerSecond) {
            this.bytesPerSecond = bytesPerSecond;
        }

        SlowViewer(String wsUrl, String room, int bytesPerSecond) throws java.io.IOException {
            h = io.tally.testing.RawHandshake.open(wsUrl, null, 4096);
            if (!h.upgraded()) throw new java.io.IOException("no upgrade: " + h.header("status"));
            h.sendText("{\"type\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"conflate\":true}");
            this.bytesPerSecond = bytesPerSecond;
            socket = h.socket();
            socket.setSoTimeout(0);
            java.io.InputStream raw = socket.getInputStream();
            java.io.InputStream throttled = new java.io.InputStream() {
                long windowStart = System.nanoTime();
                long inWindow;

                @Override
                public int read() throws java.io.IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    while (true) {
                        long now = System.nanoTime();
                        if (now - windowStart >= 100_000_000L) {
                            windowStart = now;
                            inWindow = 0;
                        }
                        long budget = SlowViewer.this.bytesPerSecond / 10 - inWindow;
                        if (budget > 0) {
                            int n = raw.read(b, off, (int) Math.min(len, budget));
                            if (n > 0) inWindow += n;
                            return n;
                        }
                        java.util.concurrent.locks.LockSupport.parkNanos(
                                100_000_000L - (now - windowStart)); // the reading rate
                    }
                }
            };
            Thread t = new Thread(() -> run(new java.io.DataInputStream(throttled)), "slow-viewer");
            t.setDaemon(true);
            t.start();
        }

        private void run(java.io.DataInputStream in) {
            try {
                while (true) {
                    int b0 = in.readUnsignedByte();
                    int b1 = in.readUnsignedByte();
                    long len = b1 & 0x7f;
                    if (len == 126) len = in.readUnsignedShort();
                    else if (len == 127) len = in.readLong();
                    byte[] payload = new byte[(int) len];
                    in.readFully(payload);
                    bytes.addAndGet(len + 2);
                    int opcode = b0 & 0x0f;
                    if (opcode == 8) {
                        closed = true;
                        return;
                    }
                    if (opcode != 1) continue;
                    Map<?, ?> f = (Map<?, ?>)
                            io.tally.json.Json.parse(new String(payload, java.nio.charset.StandardCharsets.UTF_8));
                    Object type = f.get("type");
                    if ("ack".equals(type)) acked = true;
                    if ("ping".equals(type) && f.get("id") == null) h.sendText("{\"type\":\"pong\"}");
                    if (!"message".equals(type)) continue;
                    messages.incrementAndGet();
                    if (Boolean.TRUE.equals(f.get("conflated"))) conflated.incrementAndGet();
                    Map<?, ?> g = (Map<?, ?>) ((Map<?, ?>) f.get("data")).get("game");
                    // Positions only move forward (versions need not: two instances may publish out of version order).
                    String offset = (String) ((Map<?, ?>) f.get("position")).get("offset");
                    if (lastOffset != null && compareOffsets(offset, lastOffset) <= 0) ordered = false;
                    lastOffset = offset;
                    long v = ((Number) g.get("version")).longValue();
                    if (v > lastVersion.get()) {
                        lastScore = ((Map<?, ?>) g.get("home")).get("score") + ":"
                                + ((Map<?, ?>) g.get("away")).get("score");
                        lastVersion.set(v);
                    }
                }
            } catch (java.io.IOException e) {
                closed = !socket.isClosed();
            }
        }

        /** Offsets are MAJOR or MAJOR-MINOR (PROTOCOL.md). */
        private static int compareOffsets(String a, String b) {
            String[] x = a.split("-"), y = b.split("-");
            int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
            if (c != 0) return c;
            return Long.compare(x.length > 1 ? Long.parseLong(x[1]) : 0, y.length > 1 ? Long.parseLong(y[1]) : 0);
        }

        void awaitAck() {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!acked && System.nanoTime() < deadline)
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
            if (!acked) throw new AssertionError("no ack");
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }
}
