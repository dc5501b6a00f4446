package io.tally.doctor.cli;

import io.tally.json.JsonWriter;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The doctor from a terminal: the checks of {@code /doctor} run against a deployment's URL, one
 * {@code PASS}/{@code WARN}/{@code FAIL} line each (with the fix and doc links of the catalogue,
 * {@link io.tally.doctor.Findings}), exit status 1 if any failed. Each check is a class of its own;
 * this one parses the options, runs them in order and prints. Needs only the JDK (HttpClient and
 * its WebSocket), Tally's JSON classes (on jackson-core, in WEB-INF/lib) and the catalogue:
 * <pre>
 *   java -cp 'target/tally/WEB-INF/classes:target/tally/WEB-INF/lib/*' io.tally.doctor.cli.DoctorCli https://…
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
    private static final int MAX_HOLD_S = 330; // the server's limit (SilentHoldServlet)

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
    private final Evidence seen = new Evidence();

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
        seen.config = c.status() == 200 ? c.body() : null;
        seen.configProblem = c.problem();
        seen.whoami =
                web.getJson("doctor/api/whoami?origin=" + Text.enc(origin)).body();
        DoctorHttp.Response r = web.getJson("doctor/api/redis");
        seen.redis = r.status() == 200 ? r.body() : null;
        seen.redisProblem = r.problem();
        // The silent request runs while the other checks do.
        IdleCut idleCut = new IdleCut(http, base, holdSeconds);
        idleCut.start();
        if (out != null && holdSeconds > 0)
            out.println("                 (holding a silent request for " + holdSeconds + " s meanwhile…)");
        try {
            report(out, new WebSocketCheck(web, base, origin, TIMEOUT).run(seen));
            report(out, new PollingCheck(web, base, origin, TIMEOUT, polls).run(seen));
            report(out, InstancesCheck.run(web, cookies, seen));
            RttCheck.measure(seen);
            report(out, RttCheck.run(seen));
            report(out, capacity());
            report(out, IdleCheck.run(seen, idleSeconds, out));
            report(out, idleCut.result(seen.config));
            report(out, ServerChecks.config(seen));
            report(out, ServerChecks.redis(seen));
            report(out, TlsCheck.run(base, seen.whoami));
        } finally {
            if (seen.socket != null) seen.socket.close();
        }
        if (out != null) {
            long fails = results.stream().filter(x -> x.status().equals("fail")).count();
            long warns = results.stream().filter(x -> x.status().equals("warn")).count();
            out.println((results.size() - fails - warns) + " passed, " + warns + " warned, " + fails + " failed");
        }
        return results;
    }

    private Result capacity() {
        if (seen.socket == null) return Result.needsWebSocket("capacity");
        if (burst == 0) return Result.skipped("capacity", "--burst 0");
        return new ConnectionBurst(http, base, origin, burst).run();
    }

    private void report(PrintStream out, Result r) {
        results.add(r);
        if (out == null) return;
        out.printf("%-4s  %-9s  %s%n", r.status().toUpperCase(Locale.ROOT), r.id(), r.summary());
        if (r.fix() != null) out.println("                 fix: " + r.fix());
        if (r.finding() != null) for (String link : r.finding().docs()) out.println("                 see: " + link);
        for (String d : r.details()) if (d != null) out.println("                 - " + d);
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
            if (r.finding() != null && r.finding().id() != null) {
                x.put("finding", r.finding().id());
                x.put("docs", r.finding().docs());
            }
            list.add(x);
        }
        m.put("checks", list);
        return JsonWriter.write(m);
    }
}
