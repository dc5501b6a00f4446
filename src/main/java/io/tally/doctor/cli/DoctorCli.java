package io.tally.doctor.cli;

import io.tally.json.Json;
import io.tally.json.JsonWriter;

import java.io.PrintStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The doctor from a terminal: the checks of {@code /doctor} run against a deployment's URL, one
 * {@code PASS}/{@code WARN}/{@code FAIL} line each (with the fix), exit status 1 if any failed.
 * Needs only the JDK (HttpClient and its WebSocket) and Tally's JSON classes:
 * <pre>
 *   java -cp target/tally/WEB-INF/classes io.tally.doctor.cli.DoctorCli https://my-env.elasticbeanstalk.com
 *   bin/tally-doctor https://my-env.elasticbeanstalk.com          (same, from a checkout or a WAR)
 * </pre>
 * Options: {@code --idle SECONDS} keeps a WebSocket idle that long (default: heartbeat + 3 s; 0 skips),
 * {@code --hold SECONDS} holds a silent request that long to measure the real idle cut (default 65; 0 skips),
 * {@code --burst N} extra WebSockets opened at once (default 50; 0 skips),
 * {@code --polls N} probes (default 6), {@code --json} prints the results as JSON instead.
 */
public final class DoctorCli {
    static final int EXIT_OK = 0;
    static final int EXIT_FAIL = 1;
    static final int EXIT_USAGE = 2;

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long WELCOME_TIMEOUT_MS = 8_000;
    private static final long RTT_WARN_MS = 1_000;
    private static final int MAX_HOLD_S = 330; // the server's limit (SilentHoldServlet)

    /** One check's result; {@code status} is pass, warn or fail. */
    public record Result(String id, String status, String summary, String fix, List<String> details) {
    }

    private final URI base;
    private final String origin;
    private final int idleSeconds;
    private final int holdSeconds;
    private final int burst;
    private final int polls;
    private final HttpClient http;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final List<Result> results = new ArrayList<>();

    // What the checks learn and share.
    private Map<String, Object> config;
    private String configProblem;
    private String redisProblem;
    private Map<String, Object> whoami;
    private Map<String, Object> redis;
    private String wsInstance;
    private Number heartbeat;
    private final List<String> pollInstances = new ArrayList<>();
    private final List<Long> pollRtts = new ArrayList<>();
    private final List<Long> wsRtts = new ArrayList<>();
    private Socket socket;

    DoctorCli(URI base, int idleSeconds, int holdSeconds, int burst, int polls) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        int port = base.getPort();
        this.origin = base.getScheme() + "://" + base.getHost() + (port < 0 ? "" : ":" + port);
        this.idleSeconds = idleSeconds;
        this.holdSeconds = holdSeconds;
        this.burst = burst;
        this.polls = polls;
        // Cookies like a browser: the load balancer's stickiness cookie comes back on later requests.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the doctor; returns the exit status (0 all passed or warned, 1 a check failed, 2 usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String url = null;
        int idle = -1;
        int polls = 6;
        int hold = IdleCut.DEFAULT_SECONDS;
        int burst = ConnectionBurst.DEFAULT_SIZE;
        boolean json = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--idle" -> idle = Integer.parseInt(args[++i]);
                    case "--polls" -> polls = Integer.parseInt(args[++i]);
                    case "--hold" -> hold = Integer.parseInt(args[++i]);
                    case "--burst" -> burst = Integer.parseInt(args[++i]);
                    case "--json" -> json = true;
                    case "-h", "--help" -> {
                        usage(out);
                        return EXIT_OK;
                    }
                    default -> {
                        if (args[i].startsWith("-") || url != null) throw new IllegalArgumentException("unexpected argument " + args[i]);
                        url = args[i];
                    }
                }
            }
            if (url == null) throw new IllegalArgumentException("the deployment's URL is missing");
            if (polls < 1 || polls > 100) throw new IllegalArgumentException("--polls must be between 1 and 100");
            if (hold < 0 || hold > MAX_HOLD_S) throw new IllegalArgumentException("--hold must be between 0 and " + MAX_HOLD_S);
            if (burst < 0 || burst > ConnectionBurst.MAX_SIZE) throw new IllegalArgumentException("--burst must be between 0 and " + ConnectionBurst.MAX_SIZE);
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException("the URL must be http:// or https:// with a host, got " + url);
            }
            DoctorCli doctor = new DoctorCli(uri, idle, hold, burst, polls);
            List<Result> results = doctor.runAll(json ? null : out);
            if (json) out.println(toJson(uri, results));
            return results.stream().anyMatch(r -> r.status().equals("fail")) ? EXIT_FAIL : EXIT_OK;
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) { // NumberFormatException included
            err.println("tally-doctor: " + (e instanceof ArrayIndexOutOfBoundsException ? "an option is missing its value" : e.getMessage()));
            usage(err);
            return EXIT_USAGE;
        }
    }

    private static void usage(PrintStream s) {
        s.println("usage: tally-doctor [--idle SECONDS] [--hold SECONDS] [--burst N] [--polls N] [--json] https://your-env.elasticbeanstalk.com");
        s.println("  Checks WebSocket upgrade, long-polling, instances, round trips, nginx's connection capacity, an idle WebSocket,");
        s.println("  the real idle cut (are .platform settings applied), timeouts, Redis and TLS through the whole chain.");
        s.println("  Exit status: 0 no check failed, 1 a check failed, 2 usage error.");
    }

    List<Result> runAll(PrintStream out) {
        if (out != null) out.println("Tally doctor: " + base);
        Response c = getJson("doctor/api/config");
        config = c.status == 200 ? c.body : null;
        configProblem = c.problem();
        whoami = getJson("doctor/api/whoami?origin=" + URLEncoder.encode(origin, StandardCharsets.UTF_8)).body;
        Response r = getJson("doctor/api/redis");
        redis = r.status == 200 ? r.body : null;
        redisProblem = r.problem();
        // The silent request runs while the other checks do.
        IdleCut idleCut = new IdleCut(http, base, holdSeconds);
        idleCut.start();
        if (out != null && holdSeconds > 0) out.println("                 (holding a silent request for " + holdSeconds + " s meanwhile…)");
        try {
            report(out, checkWebSocket());
            report(out, checkPolling());
            report(out, checkInstances());
            measureWebSocketRtt();
            report(out, checkRtt());
            report(out, checkCapacity());
            report(out, checkIdle(out));
            report(out, idleCut.result(config));
            report(out, checkConfig());
            report(out, checkRedis());
            report(out, checkTls());
        } finally {
            if (socket != null) socket.close();
        }
        if (out != null) {
            long fails = results.stream().filter(x -> x.status().equals("fail")).count();
            long warns = results.stream().filter(x -> x.status().equals("warn")).count();
            out.println((results.size() - fails - warns) + " passed, " + warns + " warned, " + fails + " failed");
        }
        return results;
    }

    private void report(PrintStream out, Result r) {
        results.add(r);
        if (out == null) return;
        out.printf("%-4s  %-9s  %s%n", r.status().toUpperCase(Locale.ROOT), r.id(), r.summary());
        if (r.fix() != null) out.println("                 fix: " + r.fix());
        for (String d : r.details()) if (d != null) out.println("                 - " + d);
    }

    // ---- checks ---------------------------------------------------------------------------

    private Result checkWebSocket() {
        Response start = getJson("doctor/api/upgrade-probe");
        String nonce = start.body != null && start.body.get("nonce") instanceof String n ? n : Long.toString(System.nanoTime(), 36) + "cli";
        URI ws = URI.create((base.getScheme().equals("https") ? "wss" : "ws") + "://" + base.getRawAuthority()
                + base.getRawPath() + "live/ws?doctor-probe=" + nonce);
        String shown = ws.getScheme() + "://" + ws.getRawAuthority() + ws.getRawPath();
        List<String> details = new ArrayList<>();
        details.add("URL: " + shown);
        long t0 = System.nanoTime();
        Socket s = new Socket();
        try {
            WebSocket w = http.newWebSocketBuilder().connectTimeout(TIMEOUT).header("Origin", origin)
                    .buildAsync(ws, s).get(TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            s.socket = w;
            Map<String, Object> welcome = s.welcome.get(WELCOME_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            long took = (System.nanoTime() - t0) / 1_000_000;
            socket = s;
            wsInstance = String.valueOf(welcome.get("instance"));
            heartbeat = welcome.get("heartbeat") instanceof Number n ? n : null;
            details.add("protocol v" + welcome.get("v") + ", server heartbeat " + welcome.get("heartbeat") + " ms, dead-peer timeout "
                    + welcome.get("timeout") + " ms");
            return new Result("websocket", "pass", "Upgraded and welcomed by instance " + wsInstance + " in " + took + " ms.", null, details);
        } catch (ExecutionException e) {
            s.abort();
            Throwable cause = e.getCause();
            if (cause instanceof WebSocketHandshakeException h) {
                HttpResponse<?> resp = h.getResponse();
                String body = resp.body() instanceof String str ? str : resp.body() instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : null;
                details.add("handshake answered HTTP " + resp.statusCode() + (body == null || body.isBlank() ? "" : ": " + clip(body, 300)));
                return handshakeFailed(nonce, start, resp.statusCode(), body, details);
            }
            details.add("error: " + describe(cause));
            return handshakeFailed(nonce, start, 0, null, details);
        } catch (TimeoutException e) {
            s.abort();
            if (s.socket != null) {
                return new Result("websocket", "fail", "The WebSocket opened but no welcome frame arrived within " + WELCOME_TIMEOUT_MS / 1000 + " s.",
                        "Check that no proxy buffers /live/ (proxy_buffering off) and that the load balancer passes upgraded connections.", details);
            }
            return new Result("websocket", "fail", "No answer to the WebSocket handshake within " + TIMEOUT.toSeconds() + " s: something on the path holds it.",
                    "Use an Application Load Balancer (a Classic LB needs TCP listeners for WebSockets) and check the nginx error log.", details);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Result handshakeFailed(String nonce, Response start, int status, String body, List<String> details) {
        Map<String, Object> record = null;
        if (start.body != null) {
            StringBuilder q = new StringBuilder("doctor/api/upgrade-probe?nonce=").append(nonce);
            if (start.body.get("since") instanceof Map<?, ?> since) {
                q.append("&epoch=").append(enc(since.get("epoch"))).append("&offset=").append(enc(since.get("offset")));
            }
            for (int i = 0; i < 6 && record == null; i++) {
                Response r = getJson(q.toString());
                if (r.body != null && Boolean.TRUE.equals(r.body.get("seen"))) record = r.body;
                else sleep(300);
            }
        }
        boolean stripped = record != null || body != null && body.contains("\"upgrade-stripped\"");
        if (stripped) {
            if (record != null) {
                details.add("the handshake reached Tomcat on instance " + record.get("instance") + " with Upgrade: "
                        + orMissing(record.get("upgrade")) + ", Connection: " + orMissing(record.get("connection"))
                        + ", Sec-WebSocket-Key " + (Boolean.TRUE.equals(record.get("webSocketKey")) ? "present" : "missing"));
            }
            return new Result("websocket", "fail",
                    "The proxy stripped the upgrade headers: the WebSocket handshake reached Tomcat as a plain request without "
                            + "\"Upgrade: websocket\" (HTTP " + status + "). Viewers fall back to long-polling.",
                    "In nginx, proxy /live/ with proxy_http_version 1.1, proxy_set_header Upgrade $http_upgrade and "
                            + "proxy_set_header Connection \"upgrade\" (ship Tally's .platform/nginx files; AL2/AL2023 ignore "
                            + ".ebextensions/nginx). A Classic LB with HTTP listeners cannot pass WebSockets: use an Application Load Balancer.",
                    details);
        }
        if (status == 403) {
            if (whoami != null) details.add("Tomcat sees this origin as " + whoami.get("originSeenAs") + "; the doctor sent " + origin);
            return new Result("websocket", "fail", "The WebSocket was refused with 403: the origin check does not match the Host/X-Forwarded-Proto reaching Tomcat.",
                    "Forward the client's Host (with port) and X-Forwarded-Proto to Tomcat for /live/ (Tally's .platform/nginx does), or add the origin to TALLY_ALLOWED_ORIGINS.",
                    details);
        }
        if (status == 503 || status == 429) {
            return new Result("websocket", "fail", "The WebSocket was refused with " + status + " (instance draining, full, or too many connections from this address).",
                    "Retry in a moment; raise TALLY_MAX_CONNECTIONS / TALLY_MAX_CONNECTIONS_PER_ADDRESS if it persists.", details);
        }
        return new Result("websocket", "fail",
                status == 0 ? "The WebSocket handshake failed before reaching Tally (" + details.get(details.size() - 1).replace("error: ", "") + ")." : "The WebSocket handshake was answered with HTTP " + status + " before reaching Tally.",
                "Use an Application Load Balancer (a Classic LB with HTTP listeners answers upgrades with 400), keep nginx as the proxy "
                        + "with Tally's .platform/nginx files, and check the nginx error log on the instance.",
                details);
    }

    private Result checkPolling() {
        for (int i = 0; i < polls; i++) {
            long t0 = System.nanoTime();
            Response r = getJson("live/poll");
            long rtt = (System.nanoTime() - t0) / 1_000_000;
            if (r.status != 200 || r.body == null || !"batch".equals(r.body.get("type"))) {
                return new Result("polling", "fail", "GET /live/poll failed: " + r.problem() + ". Viewers whose WebSocket fails cannot fall back.",
                        r.status == 403 ? "The origin check refused the poll: forward Host (with port) and X-Forwarded-Proto to Tomcat for /live/."
                                : "Check that the load balancer routes /live/ to the instances and that nginx proxies it (.platform/nginx).",
                        List.of("request " + (i + 1) + " of " + polls));
            }
            pollInstances.add(String.valueOf(r.body.get("instance")));
            pollRtts.add(rtt);
        }
        List<String> details = new ArrayList<>();
        details.add(polls + " probes answered by: " + String.join(", ", pollInstances));
        long t0 = System.nanoTime();
        Response post = send(HttpRequest.newBuilder(base.resolve("live/poll")).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString("{\"v\":1,\"hello\":true,\"rooms\":{\"tally-doctor.echo\":null}}")).build());
        long postRtt = (System.nanoTime() - t0) / 1_000_000;
        if (post.status == 200 && post.body != null && "batch".equals(post.body.get("type"))) {
            List<String> types = new ArrayList<>();
            if (post.body.get("frames") instanceof List<?> frames) {
                for (Object f : frames) if (f instanceof Map<?, ?> m) types.add(String.valueOf(m.get("type")));
            }
            details.add("POST /live/poll with a room answered in " + postRtt + " ms by " + post.body.get("instance") + ": " + String.join(", ", types));
            if (!types.contains("welcome") || !types.contains("ack")) {
                return new Result("polling", "warn", "Polling answers, but a poll with a room did not come back with welcome and ack.",
                        "Compare the server version with docs/PROTOCOL.md.", details);
            }
            return new Result("polling", "pass", "Long-polling works: " + polls + " probes and a poll with a room answered (median "
                    + median(pollRtts) + " ms).", null, details);
        }
        if (post.status == 503 && post.body != null && "unavailable".equals(post.body.get("code"))) {
            details.add("POST /live/poll with a room: 503 unavailable (" + post.body.get("detail") + ")");
            return new Result("polling", "pass", "The polling transport works through the chain; polls that need history wait for the broker (see redis).",
                    null, details);
        }
        details.add("POST /live/poll: " + post.problem());
        return new Result("polling", "fail", "Polling probes answer, but a real poll (POST with a room) failed.",
                post.status == 403 ? "The origin check refused the POST: forward Host (with port) and X-Forwarded-Proto to Tomcat for /live/."
                        : post.status == 413 ? "nginx refused the body: raise client_max_body_size (.platform/nginx/conf.d/tally.conf)."
                        : "Check the nginx and Tomcat logs of the instance that answered.", details);
    }

    private Result checkInstances() {
        Set<String> all = new LinkedHashSet<>(pollInstances);
        if (wsInstance != null) all.add(wsInstance);
        Map<String, Object> who = getJson("doctor/api/whoami").body;
        // The server sees the cookie if the balancer passes it on; our cookie store sees it when it was set.
        boolean cookie = who != null && Boolean.TRUE.equals(who.get("awsalbCookie"))
                || cookies.getCookieStore().getCookies().stream().anyMatch(c -> c.getName().equals("AWSALB"));
        List<String> details = new ArrayList<>();
        details.add("WebSocket: " + (wsInstance == null ? "(no WebSocket)" : wsInstance));
        details.add("polls: " + (pollInstances.isEmpty() ? "(none answered)" : String.join(", ", pollInstances)));
        details.add("stickiness cookie sent back: AWSALB " + (cookie ? "yes" : "no"));
        List<String> known = instancesSeenByBroker();
        if (!known.isEmpty()) details.add("instances the broker saw recently: " + String.join(", ", known));
        if (all.isEmpty()) {
            return new Result("instances", "warn", "No request told which instance served it (both transports failed).", "Make the transport checks pass first.", details);
        }
        int distinct = new LinkedHashSet<>(pollInstances).size();
        String how = distinct > 1 ? "Requests were spread over " + distinct + " instances" + (cookie ? " despite the stickiness cookie" : "")
                : "All polls reached " + pollInstances.stream().findFirst().orElse(wsInstance) + (cookie ? ", pinned by the AWSALB stickiness cookie" : "");
        return new Result("instances", "pass", how + ". Either way is fine for Tally: any instance can answer any poll.", null, details);
    }

    private void measureWebSocketRtt() {
        if (socket == null) return;
        for (int i = 0; i < 5; i++) {
            long rtt = socket.ping(5_000);
            if (rtt >= 0) wsRtts.add(rtt);
        }
    }

    private Result checkRtt() {
        List<String> details = new ArrayList<>();
        details.add(wsRtts.isEmpty() ? "WebSocket: not measured" : "WebSocket ping/pong: " + wsRtts + " ms");
        details.add(pollRtts.isEmpty() ? "long-polling: not measured" : "long-poll request: " + pollRtts + " ms");
        if (wsRtts.isEmpty() && pollRtts.isEmpty()) return new Result("rtt", "warn", "Nothing to measure: both transports failed.", "Make the transport checks pass first.", details);
        if (wsRtts.isEmpty()) {
            return new Result("rtt", "warn", "Long-polling round trip " + median(pollRtts) + " ms; WebSocket not measured (it failed).",
                    "Make the WebSocket check pass first.", details);
        }
        long ws = median(wsRtts);
        long poll = pollRtts.isEmpty() ? 0 : median(pollRtts);
        if (Math.max(ws, poll) > RTT_WARN_MS) {
            return new Result("rtt", "warn", "Slow round trips: WebSocket " + ws + " ms, polling " + poll + " ms.",
                    "Check the instances' CPU and the distance to the region; scores will feel late.", details);
        }
        return new Result("rtt", "pass", "WebSocket " + ws + " ms, long-polling " + poll + " ms (median round trips).", null, details);
    }

    private Result checkCapacity() {
        if (socket == null) return new Result("capacity", "warn", "Not run: it needs a working WebSocket.", "Make the WebSocket check pass first.", List.of());
        if (burst == 0) return new Result("capacity", "warn", "Skipped (--burst 0).", "Run without --burst 0 to check it.", List.of());
        return new ConnectionBurst(http, base, origin, burst).run();
    }

    private Result checkIdle(PrintStream out) {
        long hb = heartbeat != null ? heartbeat.longValue()
                : config != null && config.get("heartbeatMs") instanceof Number n ? n.longValue() : 25_000;
        int seconds = idleSeconds >= 0 ? idleSeconds : (int) ((hb + 999) / 1000) + 3;
        if (socket == null) return new Result("idle", "warn", "Not run: it needs a working WebSocket.", "Make the WebSocket check pass first.", List.of());
        if (seconds == 0) return new Result("idle", "warn", "Skipped (--idle 0).", "Run without --idle 0 to check it.", List.of());
        if (out != null) out.println("                 (keeping a WebSocket idle for " + seconds + " s…)");
        int before = socket.serverPings.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline && !socket.closed.isDone()) sleep(200);
        int pings = socket.serverPings.get() - before;
        List<String> details = new ArrayList<>();
        if (config != null) details.add("idle timeouts configured: nginx " + config.get("proxyIdleTimeoutS") + " s, load balancer " + config.get("lbIdleTimeoutS") + " s");
        if (socket.closed.isDone()) {
            return new Result("idle", "fail", "The idle WebSocket was closed (" + socket.closed.getNow("?") + ") with " + pings + " server ping(s) received.",
                    "An idle timeout on the path is shorter than the heartbeat, or pings do not get through: lower TALLY_HEARTBEAT_MS or raise "
                            + "the ALB IdleTimeout (.ebextensions) and nginx proxy_read_timeout (.platform/nginx).", details);
        }
        long rtt = socket.ping(5_000);
        if (rtt < 0) {
            return new Result("idle", "fail", "After " + seconds + " s idle the WebSocket is open but no longer answers a ping.",
                    "Something on the path stalls quiet connections.", details);
        }
        String verified = "Kept idle " + seconds + " s, past the " + hb / 1000.0 + " s heartbeat: " + pings
                + " server ping(s) arrived and were answered, and the connection still answered a ping (" + rtt + " ms).";
        if (pings == 0) {
            return new Result("idle", "warn", "Kept idle " + seconds + " s: no server ping arrived, but the connection still answered a ping.",
                    "The heartbeat did not arrive within the interval: check TALLY_HEARTBEAT_MS.", details);
        }
        if (seconds < 65) details.add("this shows the heartbeat flows through the chain; --idle 70 holds a quiet connection past a 60 s idle timeout");
        return new Result("idle", "pass", verified, null, details);
    }

    private Result checkConfig() {
        if (config == null || !(config.get("verdict") instanceof Map<?, ?> v)) {
            return new Result("config", "fail", "Could not read /doctor/api/config (" + configProblem + ").",
                    "Check that this WAR (with the doctor) is deployed and that the load balancer routes to Tomcat.", List.of());
        }
        List<String> details = List.of("instance " + config.get("instance") + " on " + config.get("container") + ", Java " + config.get("java"),
                "heartbeat " + config.get("heartbeatMs") + " ms, dead-peer timeout " + config.get("peerTimeoutMs") + " ms, poll hold " + config.get("pollHoldMs") + " ms");
        return verdict("config", v, details);
    }

    private Result checkRedis() {
        if (redis == null || !(redis.get("verdict") instanceof Map<?, ?> v)) {
            return new Result("redis", "fail", "Could not read /doctor/api/redis (" + redisProblem + ").",
                    "Check that this WAR (with the doctor) is deployed and that the load balancer routes to Tomcat.", List.of());
        }
        List<String> details = new ArrayList<>();
        details.add("mode " + redis.get("mode") + ", " + (Boolean.TRUE.equals(redis.get("available")) ? "available" : "unavailable")
                + ", broker lag " + redis.get("lagMs") + " ms, reconnects " + redis.get("reconnects"));
        if (redis.get("publishMs") instanceof Number p && p.longValue() >= 0) details.add("a publish from " + redis.get("instance") + " took " + p + " ms");
        if (redis.get("detail") != null) details.add("detail: " + redis.get("detail"));
        List<String> known = instancesSeenByBroker();
        details.add(redis.get("instances") == null ? "instances seen: unknown" : "instances seen in the last " + redis.get("windowS") + " s: " + known);
        Set<String> observed = new LinkedHashSet<>(pollInstances);
        if (wsInstance != null) observed.add(wsInstance);
        if ("memory".equals(redis.get("mode")) && observed.size() > 1) {
            return new Result("redis", "fail", "Several instances answer (" + String.join(", ", observed)
                    + ") but they use the in-memory broker: viewers on different instances see different scores.",
                    "Set REDIS_URL (and REDIS_CLUSTER for cluster mode) as an environment property so every instance shares rooms through Redis.", details);
        }
        return verdict("redis", v, details);
    }

    private Result checkTls() {
        boolean https = base.getScheme().equals("https");
        String host = base.getHost();
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
        List<String> details = new ArrayList<>();
        details.add("URL: " + base.getScheme() + ", WebSocket: " + (https ? "wss" : "ws"));
        Object proto = whoami == null ? null : whoami.get("forwardedProto");
        if (whoami != null) details.add("Tomcat saw X-Forwarded-Proto: " + (proto == null ? "(none)" : proto) + ", Host: " + whoami.get("host"));
        if (https) {
            if (proto instanceof String p && !p.split(",")[0].trim().equals("https")) {
                return new Result("tls", "warn", "Served over https, but Tomcat is told the scheme was " + p + ".",
                        "Let the load balancer set X-Forwarded-Proto and nginx pass it on unchanged (Tally's .platform/nginx does).", details);
            }
            return new Result("tls", "pass", "https and wss: traffic is encrypted to the load balancer.", null, details);
        }
        if (loopback) {
            return new Result("tls", "pass", "Plain http on a loopback address: fine for a local test; a public deployment should use https (then wss).", null, details);
        }
        return new Result("tls", "warn", "Served over plain http: scores and the WebSocket (ws:) travel unencrypted.",
                "Add an HTTPS listener to the load balancer (aws:elbv2:listener:443 with an ACM certificate in .ebextensions) and use the https:// address.",
                details);
    }

    private List<String> instancesSeenByBroker() {
        List<String> ids = new ArrayList<>();
        if (redis != null && redis.get("instances") instanceof List<?> list) {
            for (Object o : list) if (o instanceof Map<?, ?> m) ids.add(String.valueOf(m.get("id")));
        }
        return ids;
    }

    private static Result verdict(String id, Map<?, ?> v, List<String> details) {
        String status = String.valueOf(v.get("status"));
        if (!status.equals("pass") && !status.equals("warn")) status = "fail";
        return new Result(id, status, String.valueOf(v.get("summary")), v.get("fix") instanceof String f ? f : null, details);
    }

    // ---- HTTP and WebSocket ---------------------------------------------------------------

    private record Response(int status, Map<String, Object> body, String error) {
        String problem() {
            if (error != null) return error;
            Object detail = body == null ? null : body.get("detail");
            return "HTTP " + status + (detail == null ? "" : " — " + detail);
        }
    }

    private Response getJson(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build());
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            Map<String, Object> body = null;
            try {
                body = Json.parseObject(r.body(), 32);
            } catch (RuntimeException notJson) {
                // an HTML error page from a proxy, say
            }
            return new Response(r.statusCode(), body, null);
        } catch (java.io.IOException e) {
            return new Response(0, null, describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A raw protocol client: waits for welcome, answers server pings, matches our pongs. */
    private static final class Socket implements WebSocket.Listener {
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
            closed.complete("error: " + describe(error));
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

    // ---- small helpers --------------------------------------------------------------------

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        return s.isEmpty() ? -1 : s.get(s.size() / 2);
    }

    private static String enc(Object o) {
        return URLEncoder.encode(String.valueOf(o), StandardCharsets.UTF_8);
    }

    private static String orMissing(Object o) {
        return o == null ? "(missing)" : String.valueOf(o);
    }

    private static String clip(String s, int n) {
        s = s.replaceAll("\\s+", " ").trim();
        return s.length() > n ? s.substring(0, n) + "…" : s;
    }

    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException) return "cannot connect (" + (t.getMessage() == null ? "refused" : t.getMessage()) + ")";
            if (t instanceof java.net.UnknownHostException) return "unknown host " + t.getMessage();
            if (t instanceof java.net.http.HttpTimeoutException) return "timed out";
            if (t instanceof javax.net.ssl.SSLException) return "TLS failed: " + t.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String top = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return root == e ? top : top + " (" + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms); // between retries of a look-up, bounded by the caller's count
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String toJson(URI url, List<Result> results) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", url.toString());
        List<Object> list = new ArrayList<>();
        for (Result r : results) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", r.id());
            x.put("status", r.status());
            x.put("summary", r.summary());
            x.put("fix", r.fix());
            x.put("details", r.details());
            list.add(x);
        }
        m.put("checks", list);
        return JsonWriter.write(m);
    }
}
