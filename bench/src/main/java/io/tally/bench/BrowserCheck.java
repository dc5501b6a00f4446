package io.tally.bench;

import io.tally.e2e.browser.Browser;
import io.tally.e2e.browser.Browsers;
import io.tally.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Does the load tool connect as a browser does? Puts a counting loopback proxy in front of one Tally
 * instance (embedded, default settings), and through it opens the app's game page in a few headless
 * Chromium tabs, the same number of this tool's scoreboard viewers and one viewer of the peers' Node
 * generator's WebSocket client ({@code ws}, as loadgen.js configures it). The proxy records each
 * upgrade's {@code Sec-WebSocket-Extensions} request and answer and counts the bytes each WebSocket
 * connection receives; a scorer then posts E score events, and for every connection the bytes on the
 * wire per event, and (Chromium's performance log, {@code Network.webSocketFrameReceived}) the
 * decompressed message sizes, are compared. A command, not a test:
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.tally.bench.BrowserCheck -Dexec.args="--tabs 3 --events 5"
 * </pre>
 * Writes {@code target/bench/browser-check.json} and {@code .md}; exits 1 if the offers or the sizes differ.
 */
public final class BrowserCheck {
    private BrowserCheck() {}

    /** One proxied connection: what was asked and answered, and the bytes sent to the client after the answer's head. */
    static final class Conn {
        volatile String requestLine = "";
        volatile String userAgent;
        volatile String offered;
        volatile String answered;
        volatile boolean upgraded;
        final AtomicLong down = new AtomicLong();

        String kind() {
            if (userAgent == null) return "load tool";
            if (userAgent.equals("node")) return "node";
            if (userAgent.contains("Chrome")) return "chromium";
            return "other";
        }
    }

    public static void main(String[] args) throws Exception {
        int tabs = 3, events = 5, log = 50;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tabs" -> tabs = Integer.parseInt(args[++i]);
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--log" -> log = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: --tabs K --events E --log L");
            }
        }
        Thread guard = new Thread(
                () -> {
                    try {
                        Thread.sleep(TimeUnit.SECONDS.toMillis(240));
                        System.err.println("browser-check: deadline reached");
                        System.exit(3);
                    } catch (InterruptedException ignored) {
                        // done in time
                    }
                },
                "browser-check-guard");
        guard.setDaemon(true);
        guard.start();
        int code = run(tabs, events, log);
        guard.interrupt();
        System.exit(code);
    }

    static int run(int tabs, int events, int log) throws Exception {
        Path out = io.tally.testing.TallyServer.webappDir().getParent().resolve("target/bench");
        Files.createDirectories(out);
        Map<String, Object> r = new LinkedHashMap<>();
        try (BenchInstance tally = BenchInstance.start(0, 0, Map.of(), Map.of(), Map.of());
                ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            List<Conn> conns = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> accept(listener, tally.port(), conns), "proxy-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            String base = "http://127.0.0.1:" + listener.getLocalPort();
            ScoreboardGame game = ScoreboardGame.create(tally.baseUrl(), log);
            r.put("game_log_events", log);

            // The Node generator's client, as loadgen.js opens it (perMessageDeflate on), through the proxy.
            Process node = startNodeViewer(base, game);

            Browser browser = Browsers.chromium(LogType.PERFORMANCE);
            WebDriver driver = browser.driver();
            EventLoop loop = new EventLoop("browser-check-loop", System.nanoTime() + TimeUnit.SECONDS.toNanos(200));
            loop.start();
            try {
                Map<String, Integer> acks = new HashMap<>();
                Map<String, List<Integer>> messageSizes = new HashMap<>();
                for (int t = 0; t < tabs; t++) {
                    if (t > 0) driver.switchTo().newWindow(WindowType.TAB);
                    driver.get(base + "/game.html?id=" + game.id());
                }
                Viewers shared = new Viewers(tabs);
                InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", listener.getLocalPort());
                for (int v = 0; v < tabs; v++) {
                    WsViewer viewer = new WsViewer(loop, shared, v, proxy, true, game);
                    loop.submit(viewer::open);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline
                        && (shared.joined.get() < tabs || acks.size() < tabs || !nodeJoined(conns))) {
                    readPerformanceLog(driver, acks, messageSizes);
                    Thread.sleep(100);
                }
                if (shared.joined.get() < tabs || acks.size() < tabs) {
                    throw new IllegalStateException("not all joined: tool " + shared.joined.get() + ", tabs "
                            + acks.size() + (shared.firstFailure != null ? "; " + shared.firstFailure : ""));
                }
                Thread.sleep(500); // let the join traffic settle before the window opens
                Map<Conn, Long> before = new HashMap<>();
                for (Conn c : conns) before.put(c, c.down.get());
                game.score(2, events / 2.0);
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline
                        && (loop.recorder.total < (long) tabs * events
                                || messageSizes.values().stream()
                                                .mapToInt(List::size)
                                                .sum()
                                        < tabs * events)) {
                    readPerformanceLog(driver, acks, messageSizes);
                    Thread.sleep(100);
                }
                Thread.sleep(1000); // the Node viewer and the proxy's last copies
                readPerformanceLog(driver, acks, messageSizes);
                report(r, conns, before, events, messageSizes, loop.recorder, tabs);
            } finally {
                loop.shutdown();
                browser.close();
                node.destroy();
            }
        }
        String md = markdown(r);
        Files.writeString(out.resolve("browser-check.json"), io.tally.json.JsonWriter.write(r) + "\n");
        Files.writeString(out.resolve("browser-check.md"), md);
        System.out.println(md);
        return Boolean.TRUE.equals(r.get("match")) ? 0 : 1;
    }

    private static void report(
            Map<String, Object> r,
            List<Conn> conns,
            Map<Conn, Long> before,
            int events,
            Map<String, List<Integer>> cdpSizes,
            Recorder tool,
            int tabs) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, List<Double>> perKind = new LinkedHashMap<>();
        Map<String, String> offers = new LinkedHashMap<>(), answers = new LinkedHashMap<>();
        for (Conn c : conns) {
            if (!c.upgraded) continue;
            Map<String, Object> row = new LinkedHashMap<>();
            String kind = c.kind();
            row.put("client", kind);
            row.put("offered", c.offered);
            row.put("answered", c.answered);
            double perEvent = (c.down.get() - before.getOrDefault(c, 0L)) / (double) events;
            row.put("wire_bytes_per_event", FanOut.round(perEvent, 1));
            rows.add(row);
            perKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(perEvent);
            offers.putIfAbsent(kind, String.valueOf(c.offered));
            answers.putIfAbsent(kind, String.valueOf(c.answered));
        }
        r.put("connections", rows);
        r.put("offered", offers);
        r.put("answered", answers);
        Map<String, Object> wire = new LinkedHashMap<>();
        perKind.forEach((k, v) -> wire.put(
                k, FanOut.round(v.stream().mapToDouble(x -> x).average().orElse(Double.NaN), 1)));
        r.put("wire_bytes_per_event", wire);
        List<Integer> browserSizes = new ArrayList<>();
        cdpSizes.values().forEach(browserSizes::addAll);
        r.put(
                "chromium_message_payload_bytes",
                browserSizes.isEmpty()
                        ? null
                        : FanOut.round(
                                browserSizes.stream().mapToInt(x -> x).average().orElse(Double.NaN), 1));
        r.put(
                "tool_message_payload_bytes",
                tool.total == 0 ? null : FanOut.round((double) tool.payloadBytes / tool.total, 1));
        r.put("tool_messages", tool.total);
        r.put("chromium_messages", browserSizes.size());
        String chromeOffer = offers.get("chromium"), toolOffer = offers.get("load tool");
        boolean sameOffer = chromeOffer != null
                && chromeOffer.equals(toolOffer)
                && (!offers.containsKey("node") || chromeOffer.equals(offers.get("node")));
        Object cw = wire.get("chromium"), tw = wire.get("load tool");
        boolean sameWire = cw instanceof Double c && tw instanceof Double t && Math.abs(c - t) <= Math.max(8, 0.05 * c);
        Object cp = r.get("chromium_message_payload_bytes"), tp = r.get("tool_message_payload_bytes");
        boolean samePayload = cp instanceof Double c && tp instanceof Double t && Math.abs(c - t) <= 0.02 * c;
        r.put("same_offer", sameOffer);
        r.put("same_wire_bytes_within_5pct", sameWire);
        r.put("same_payload_within_2pct", samePayload);
        r.put("match", sameOffer && sameWire && samePayload && browserSizes.size() >= tabs * events);
    }

    private static String markdown(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder(
                "# Browser check\n\n| client | Sec-WebSocket-Extensions offered | answered | wire bytes per score |\n|---|---|---|---|\n");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) r.getOrDefault("connections", List.of());
        for (Map<String, Object> row : rows) {
            sb.append("| ")
                    .append(row.get("client"))
                    .append(" | `")
                    .append(row.get("offered"))
                    .append("` | `")
                    .append(row.get("answered"))
                    .append("` | ")
                    .append(row.get("wire_bytes_per_event"))
                    .append(" |\n");
        }
        sb.append("\nDecompressed message size: Chromium (CDP) ")
                .append(r.get("chromium_message_payload_bytes"))
                .append(" bytes over ")
                .append(r.get("chromium_messages"))
                .append(" messages; load tool ")
                .append(r.get("tool_message_payload_bytes"))
                .append(" bytes over ")
                .append(r.get("tool_messages"))
                .append(" messages. Log: ")
                .append(r.get("game_log_events"))
                .append(" events. Match: ")
                .append(r.get("match"))
                .append('\n');
        return sb.toString();
    }

    private static boolean nodeJoined(List<Conn> conns) {
        return conns.stream().anyMatch(c -> c.upgraded && "node".equals(c.kind()));
    }

    private static Process startNodeViewer(String base, ScoreboardGame game) throws IOException {
        Path root = io.tally.testing.TallyServer.webappDir().getParent();
        String ws = base.replace("http", "ws") + "/live/ws?batch=1";
        // As loadgen.js: perMessageDeflate unless DEFLATE=0, an Origin header; a User-Agent so the proxy knows it.
        String script =
                "const W=require('ws');const w=new W(process.argv[1],{perMessageDeflate:process.env.DEFLATE!=='0',"
                        + "headers:{Origin:process.argv[2],'User-Agent':'node-ws'}});"
                        + "w.on('message',d=>{const t=d.toString();if(t.startsWith('{\"type\":\"welcome\"'))w.send(JSON.stringify({type:'subscribe',id:1,room:process.argv[3]}));});"
                        + "setTimeout(()=>process.exit(0),180000);";
        ProcessBuilder pb = new ProcessBuilder("node", "-e", script, ws, base, game.room());
        pb.environment()
                .put("NODE_PATH", root.resolve("bench/node/node_modules").toString());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    /** Chromium's received WebSocket frames (decompressed payloads), per connection. */
    @SuppressWarnings("unchecked")
    private static void readPerformanceLog(
            WebDriver driver, Map<String, Integer> acks, Map<String, List<Integer>> sizes) {
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
            if (!e.getMessage().contains("Network.webSocketFrameReceived")) continue;
            Map<String, Object> m =
                    (Map<String, Object>) Json.parseObject(e.getMessage(), 16).get("message");
            Map<String, Object> params = (Map<String, Object>) m.get("params");
            String id = (String) params.get("requestId");
            String payload = (String) ((Map<String, Object>) params.get("response")).get("payloadData");
            if (payload.startsWith("{\"type\":\"ack\"")) acks.merge(id, 1, Integer::sum);
            if (payload.startsWith("{\"type\":\"message\"") || payload.startsWith("[")) {
                sizes.computeIfAbsent(id, k -> new ArrayList<>()).add(payload.getBytes(StandardCharsets.UTF_8).length);
            }
        }
    }

    // ---- the counting proxy ------------------------------------------------------------------

    private static void accept(ServerSocket listener, int tallyPort, List<Conn> conns) {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket("127.0.0.1", tallyPort);
                Conn c = new Conn();
                conns.add(c);
                pipe(client, server, c, true);
                pipe(server, client, c, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Copies one direction; records the request heads (upstream) and counts what follows the 101 (downstream). */
    private static void pipe(Socket from, Socket to, Conn c, boolean upstream) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[65536];
                    StringBuilder head = new StringBuilder();
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            int counted = n;
                            if (!c.upgraded || upstream) {
                                if (head.length() < 16384 && !(upstream && c.upgraded)) {
                                    head.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                                    int end;
                                    while ((end = head.indexOf("\r\n\r\n")) >= 0) {
                                        String h = head.substring(0, end);
                                        head.delete(0, end + 4);
                                        if (upstream) request(c, h);
                                        else if (h.contains(
                                                "HTTP/1.1 101")) { // possibly after an earlier answer's body
                                            String ext = WsViewer.header(h, "sec-websocket-extensions");
                                            c.answered = ext == null ? "none" : ext;
                                            c.upgraded = true;
                                            counted = head.length(); // what followed the head in this read
                                            head.setLength(0);
                                            break;
                                        }
                                    }
                                }
                                if (!upstream && !c.upgraded) counted = 0;
                            }
                            if (!upstream) c.down.addAndGet(counted);
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    } catch (IOException ignored) {
                        // one side closed
                    } finally {
                        try {
                            to.close();
                            from.close();
                        } catch (IOException ignored) {
                            // closing anyway
                        }
                    }
                },
                "proxy-" + (upstream ? "up" : "down"));
        t.setDaemon(true);
        t.start();
    }

    private static void request(Conn c, String head) {
        String line = head.lines().findFirst().orElse("");
        if (!line.contains("/live/ws")) return; // page, script and API requests: not counted
        c.requestLine = line;
        String ext = WsViewer.header(head, "sec-websocket-extensions");
        c.offered = ext == null ? "none" : ext;
        String ua = WsViewer.header(head, "user-agent");
        c.userAgent = ua == null ? null : ua.contains("node-ws") ? "node" : ua;
    }
}
