package io.tally.doctor.cli;

import io.tally.json.JsonWriter;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

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

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long RTT_WARN_MS = 1_000;
    private static final int MAX_HOLD_S = 330; // the server's limit (SilentHoldServlet)

    /** One check's result; {@code status} is pass, warn or fail. */
    public record Result(String id, String status, String summary, String fix, List<String> details) {}

    private final URI base;
    private final String origin;
    private final int idleSeconds;
    private final int holdSeconds;
    private final int burst;
    private final int polls;
    private final HttpClient http;
    private final DoctorHttp web;
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
    private ProbeSocket socket;

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
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.web = new DoctorHttp(http, this.base, TIMEOUT);
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
                        if (args[i].startsWith("-") || url != null)
                            throw new IllegalArgumentException("unexpected argument " + args[i]);
                        url = args[i];
                    }
                }
            }
            if (url == null) throw new IllegalArgumentException("the deployment's URL is missing");
            if (polls < 1 || polls > 100) throw new IllegalArgumentException("--polls must be between 1 and 100");
            if (hold < 0 || hold > MAX_HOLD_S)
                throw new IllegalArgumentException("--hold must be between 0 and " + MAX_HOLD_S);
            if (burst < 0 || burst > ConnectionBurst.MAX_SIZE)
                throw new IllegalArgumentException("--burst must be between 0 and " + ConnectionBurst.MAX_SIZE);
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
            err.println("tally-doctor: "
                    + (e instanceof ArrayIndexOutOfBoundsException
                            ? "an option is missing its value"
                            : e.getMessage()));
            usage(err);
            return EXIT_USAGE;
        }
    }

    private static void usage(PrintStream s) {
        s.println(
                "usage: tally-doctor [--idle SECONDS] [--hold SECONDS] [--burst N] [--polls N] [--json] https://your-env.elasticbeanstalk.com");
        s.println(
                "  Checks WebSocket upgrade, long-polling, instances, round trips, nginx's connection capacity, an idle WebSocket,");
        s.println(
                "  the real idle cut (are .platform settings applied), timeouts, Redis and TLS through the whole chain.");
        s.println("  Exit status: 0 no check failed, 1 a check failed, 2 usage error.");
    }

    List<Result> runAll(PrintStream out) {
        if (out != null) out.println("Tally doctor: " + base);
        DoctorHttp.Response c = web.getJson("doctor/api/config");
        config = c.status() == 200 ? c.body() : null;
        configProblem = c.problem();
        whoami = web.getJson("doctor/api/whoami?origin=" + URLEncoder.encode(origin, StandardCharsets.UTF_8))
                .body();
        DoctorHttp.Response r = web.getJson("doctor/api/redis");
        redis = r.status() == 200 ? r.body() : null;
        redisProblem = r.problem();
        // The silent request runs while the other checks do.
        IdleCut idleCut = new IdleCut(http, base, holdSeconds);
        idleCut.start();
        if (out != null && holdSeconds > 0)
            out.println("                 (holding a silent request for " + holdSeconds + " s meanwhile…)");
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
        WebSocketCheck check = new WebSocketCheck(web, base, origin, whoami, TIMEOUT);
        Result result = check.run();
        socket = check.socket();
        wsInstance = check.instance();
        heartbeat = check.heartbeat();
        return result;
    }

    private Result checkPolling() {
        return new PollingCheck(web, base, origin, TIMEOUT, polls).run(pollInstances, pollRtts);
    }

    private Result checkInstances() {
        Set<String> all = new LinkedHashSet<>(pollInstances);
        if (wsInstance != null) all.add(wsInstance);
        Map<String, Object> who = web.getJson("doctor/api/whoami").body();
        // The server sees the cookie if the balancer passes it on; our cookie store sees it when it was set.
        boolean cookie = who != null && Boolean.TRUE.equals(who.get("awsalbCookie"))
                || cookies.getCookieStore().getCookies().stream()
                        .anyMatch(c -> c.getName().equals("AWSALB"));
        List<String> details = new ArrayList<>();
        details.add("WebSocket: " + (wsInstance == null ? "(no WebSocket)" : wsInstance));
        details.add("polls: " + (pollInstances.isEmpty() ? "(none answered)" : String.join(", ", pollInstances)));
        details.add("stickiness cookie sent back: AWSALB " + (cookie ? "yes" : "no"));
        List<String> known = instancesSeenByBroker();
        if (!known.isEmpty()) details.add("instances the broker saw recently: " + String.join(", ", known));
        if (all.isEmpty()) {
            return new Result(
                    "instances",
                    "warn",
                    "No request told which instance served it (both transports failed).",
                    "Make the transport checks pass first.",
                    details);
        }
        int distinct = new LinkedHashSet<>(pollInstances).size();
        String how = distinct > 1
                ? "Requests were spread over " + distinct + " instances"
                        + (cookie ? " despite the stickiness cookie" : "")
                : "All polls reached " + pollInstances.stream().findFirst().orElse(wsInstance)
                        + (cookie ? ", pinned by the AWSALB stickiness cookie" : "");
        return new Result(
                "instances",
                "pass",
                how + ". Either way is fine for Tally: any instance can answer any poll.",
                null,
                details);
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
        if (wsRtts.isEmpty() && pollRtts.isEmpty())
            return new Result(
                    "rtt",
                    "warn",
                    "Nothing to measure: both transports failed.",
                    "Make the transport checks pass first.",
                    details);
        if (wsRtts.isEmpty()) {
            return new Result(
                    "rtt",
                    "warn",
                    "Long-polling round trip " + median(pollRtts) + " ms; WebSocket not measured (it failed).",
                    "Make the WebSocket check pass first.",
                    details);
        }
        long ws = median(wsRtts);
        long poll = pollRtts.isEmpty() ? 0 : median(pollRtts);
        if (Math.max(ws, poll) > RTT_WARN_MS) {
            return new Result(
                    "rtt",
                    "warn",
                    "Slow round trips: WebSocket " + ws + " ms, polling " + poll + " ms.",
                    "Check the instances' CPU and the distance to the region; scores will feel late.",
                    details);
        }
        return new Result(
                "rtt",
                "pass",
                "WebSocket " + ws + " ms, long-polling " + poll + " ms (median round trips).",
                null,
                details);
    }

    private Result checkCapacity() {
        if (socket == null)
            return new Result(
                    "capacity",
                    "warn",
                    "Not run: it needs a working WebSocket.",
                    "Make the WebSocket check pass first.",
                    List.of());
        if (burst == 0)
            return new Result(
                    "capacity", "warn", "Skipped (--burst 0).", "Run without --burst 0 to check it.", List.of());
        return new ConnectionBurst(http, base, origin, burst).run();
    }

    private Result checkIdle(PrintStream out) {
        long hb = heartbeat != null
                ? heartbeat.longValue()
                : config != null && config.get("heartbeatMs") instanceof Number n ? n.longValue() : 25_000;
        int seconds = idleSeconds >= 0 ? idleSeconds : (int) ((hb + 999) / 1000) + 3;
        if (socket == null)
            return new Result(
                    "idle",
                    "warn",
                    "Not run: it needs a working WebSocket.",
                    "Make the WebSocket check pass first.",
                    List.of());
        if (seconds == 0)
            return new Result("idle", "warn", "Skipped (--idle 0).", "Run without --idle 0 to check it.", List.of());
        if (out != null) out.println("                 (keeping a WebSocket idle for " + seconds + " s…)");
        int before = socket.serverPings.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline && !socket.closed.isDone()) sleep(200);
        int pings = socket.serverPings.get() - before;
        List<String> details = new ArrayList<>();
        if (config != null)
            details.add("idle timeouts configured: nginx " + config.get("proxyIdleTimeoutS") + " s, load balancer "
                    + config.get("lbIdleTimeoutS") + " s");
        if (socket.closed.isDone()) {
            return new Result(
                    "idle",
                    "fail",
                    "The idle WebSocket was closed (" + socket.closed.getNow("?") + ") with " + pings
                            + " server ping(s) received.",
                    "An idle timeout on the path is shorter than the heartbeat, or pings do not get through: lower TALLY_HEARTBEAT_MS or raise "
                            + "the ALB IdleTimeout (.ebextensions) and nginx proxy_read_timeout (.platform/nginx).",
                    details);
        }
        long rtt = socket.ping(5_000);
        if (rtt < 0) {
            return new Result(
                    "idle",
                    "fail",
                    "After " + seconds + " s idle the WebSocket is open but no longer answers a ping.",
                    "Something on the path stalls quiet connections.",
                    details);
        }
        String verified = "Kept idle " + seconds + " s, past the " + hb / 1000.0 + " s heartbeat: " + pings
                + " server ping(s) arrived and were answered, and the connection still answered a ping (" + rtt
                + " ms).";
        if (pings == 0) {
            return new Result(
                    "idle",
                    "warn",
                    "Kept idle " + seconds + " s: no server ping arrived, but the connection still answered a ping.",
                    "The heartbeat did not arrive within the interval: check TALLY_HEARTBEAT_MS.",
                    details);
        }
        if (seconds < 65)
            details.add(
                    "this shows the heartbeat flows through the chain; --idle 70 holds a quiet connection past a 60 s idle timeout");
        return new Result("idle", "pass", verified, null, details);
    }

    private Result checkConfig() {
        if (config == null || !(config.get("verdict") instanceof Map<?, ?> v)) {
            return new Result(
                    "config",
                    "fail",
                    "Could not read /doctor/api/config (" + configProblem + ").",
                    "Check that this WAR (with the doctor) is deployed and that the load balancer routes to Tomcat.",
                    List.of());
        }
        List<String> details = List.of(
                "instance " + config.get("instance") + " on " + config.get("container") + ", Java "
                        + config.get("java"),
                "heartbeat " + config.get("heartbeatMs") + " ms, dead-peer timeout " + config.get("peerTimeoutMs")
                        + " ms, poll hold " + config.get("pollHoldMs") + " ms");
        return verdict("config", v, details);
    }

    private Result checkRedis() {
        if (redis == null || !(redis.get("verdict") instanceof Map<?, ?> v)) {
            return new Result(
                    "redis",
                    "fail",
                    "Could not read /doctor/api/redis (" + redisProblem + ").",
                    "Check that this WAR (with the doctor) is deployed and that the load balancer routes to Tomcat.",
                    List.of());
        }
        List<String> details = new ArrayList<>();
        details.add("mode " + redis.get("mode") + ", "
                + (Boolean.TRUE.equals(redis.get("available")) ? "available" : "unavailable") + ", broker lag "
                + redis.get("lagMs") + " ms, reconnects " + redis.get("reconnects"));
        if (redis.get("publishMs") instanceof Number p && p.longValue() >= 0)
            details.add("a publish from " + redis.get("instance") + " took " + p + " ms");
        if (redis.get("detail") != null) details.add("detail: " + redis.get("detail"));
        List<String> known = instancesSeenByBroker();
        details.add(
                redis.get("instances") == null
                        ? "instances seen: unknown"
                        : "instances seen in the last " + redis.get("windowS") + " s: " + known);
        Set<String> observed = new LinkedHashSet<>(pollInstances);
        if (wsInstance != null) observed.add(wsInstance);
        if ("memory".equals(redis.get("mode")) && observed.size() > 1) {
            return new Result(
                    "redis",
                    "fail",
                    "Several instances answer (" + String.join(", ", observed)
                            + ") but they use the in-memory broker: viewers on different instances see different scores.",
                    "Set REDIS_URL (and REDIS_CLUSTER for cluster mode) as an environment property so every instance shares rooms through Redis.",
                    details);
        }
        return verdict("redis", v, details);
    }

    private Result checkTls() {
        return TlsCheck.run(base, whoami);
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
        return new Result(
                id, status, String.valueOf(v.get("summary")), v.get("fix") instanceof String f ? f : null, details);
    }

    // ---- small helpers --------------------------------------------------------------------

    static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        return s.isEmpty() ? -1 : s.get(s.size() / 2);
    }

    static String enc(Object o) {
        return URLEncoder.encode(String.valueOf(o), StandardCharsets.UTF_8);
    }

    static String orMissing(Object o) {
        return o == null ? "(missing)" : String.valueOf(o);
    }

    static String clip(String s, int n) {
        s = s.replaceAll("\\s+", " ").trim();
        return s.length() > n ? s.substring(0, n) + "…" : s;
    }

    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException)
                return "cannot connect (" + (t.getMessage() == null ? "refused" : t.getMessage()) + ")";
            if (t instanceof java.net.UnknownHostException) return "unknown host " + t.getMessage();
            if (t instanceof java.net.http.HttpTimeoutException) return "timed out";
            if (t instanceof javax.net.ssl.SSLException) return "TLS failed: " + t.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String top = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return root == e
                ? top
                : top + " (" + root.getClass().getSimpleName()
                        + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
    }

    static void sleep(long ms) {
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
