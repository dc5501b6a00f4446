package io.tally.e2e.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.doctor.cli.DoctorCli;
import io.tally.e2e.browser.Browser;
import io.tally.e2e.browser.BrowserPool;
import io.tally.e2e.browser.E2eArtifacts;
import io.tally.standin.StandIn;
import io.tally.standin.StandInOptions;
import io.tally.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chromium.HasCdp;

/**
 * The doctor's verdicts through the Beanstalk stand-in (HAProxy as the ALB → nginx with our
 * .platform files → Tomcat 11 and 10.1 → Redis), in the page (headless Chromium) and in the
 * command: all pass in the normal chain; with Redis stopped only Redis fails; behind a proxy that
 * strips the upgrade headers the WebSocket fails, explained, while polling passes; an nginx with
 * 16 worker_connections fails the capacity check; an nginx without our .platform files (its default
 * read timeout shortened to 3 s, standing for the platform's 60 s) fails the platform check.
 *
 * <p>Screenshots of the page land in target/doctor-screenshots/ (docs/img/ holds copies).
 */
class DoctorStandInIT {
    /** Short heartbeat so the idle check (heartbeat + 2 s) stays short. */
    private static final String HEARTBEAT_MS = "3000";

    private static final String IDLE = "5";
    /** The silent request of the platform check: past the 3 s stand-in "platform default", below ours. */
    private static final String HOLD = "5";

    private static final String QUERY = "idle=" + IDLE + "&hold=" + HOLD;
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(90);
    private static final Path SHOTS = Path.of("target", "doctor-screenshots");

    /** One Chromium for every page of the class: a start costs seconds, a page load milliseconds. */
    private static final BrowserPool browsers = new BrowserPool();
    /** Chromium starting while the first stand-in does (a failed start is retried at first use). */
    private static CompletableFuture<?> warming = CompletableFuture.completedFuture(null);

    @BeforeAll
    static void startBrowser() {
        warming = CompletableFuture.runAsync(() -> browsers.get("chromium"));
    }

    @AfterAll
    static void closeBrowsers() {
        warming.exceptionally(e -> null).join();
        browsers.close();
    }

    record Cli(int exit, String out) {
        boolean line(String status, String check) {
            return out.lines().anyMatch(l -> l.matches(status + "\\s+" + check + "\\s.*"));
        }
    }

    static Cli cli(URI url) {
        return cli("--idle", IDLE, "--hold", HOLD, url.toString());
    }

    static Cli cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = DoctorCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        return new Cli(exit, out.toString(StandardCharsets.UTF_8));
    }

    /** Two sticky instances on Redis, as our .ebextensions configure them. */
    static StandInOptions twoInstances() {
        return StandInOptions.defaults().instances(2).sticky(true).redis(true).env("TALLY_HEARTBEAT_MS", HEARTBEAT_MS);
    }

    static String get(URI base, String path) {
        try {
            HttpResponse<String> r = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()
                    .send(
                            HttpRequest.newBuilder(base.resolve(path))
                                    .timeout(Duration.ofSeconds(15))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (Exception e) {
            throw new AssertionError("GET " + path, e);
        }
    }

    /** One stand-in for the cases of a scenario, the page's and the command's. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract class Scenario {
        StandIn standIn;

        @RegisterExtension
        final E2eArtifacts artifacts = new E2eArtifacts();

        abstract StandInOptions options();

        @BeforeAll
        void start() {
            standIn = StandIn.start(options());
        }

        @AfterAll
        void stop() {
            if (standIn != null) standIn.close();
        }

        /**
         * The doctor page in the shared Chromium, without the cookies an earlier stand-in left (every
         * stand-in is on 127.0.0.1, and cookies do not tell ports apart).
         */
        DoctorPage openPage(String query) {
            warming.exceptionally(e -> null).join();
            Browser browser = artifacts.watch(browsers.get("chromium"));
            ((HasCdp) browser.driver()).executeCdpCommand("Network.clearBrowserCookies", Map.of());
            return DoctorPage.open(browser.driver(), standIn.url().toString(), query, PAGE_TIMEOUT);
        }
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class NormalThenRedisStopped extends Scenario {
        @Override
        StandInOptions options() {
            return twoInstances();
        }

        @Test
        @Order(1)
        void normalChainEveryCheckPassesInThePage() {
            DoctorPage page = openPage(QUERY);
            page.screenshot(SHOTS.resolve("doctor-healthy.png"));
            for (Map.Entry<String, String> e : page.statuses().entrySet()) {
                assertEquals("pass", e.getValue(), e.getKey() + page.describe());
            }
            assertEquals("pass", page.overall());
            String ws = page.summary("websocket");
            assertTrue(ws.contains(standIn.instanceId(0)) || ws.contains(standIn.instanceId(1)), ws);
            assertTrue(page.details("instances").contains("AWSALB yes"), page.describe());
            assertTrue(page.summary("redis").contains("Connected (redis)"), page.describe());
            assertTrue(page.summary("idle").contains("server ping(s) arrived and were answered"), page.describe());
        }

        @Test
        @Order(2)
        void normalChainTheCommandPassesAndExitsZero() {
            Cli r = cli(standIn.url());
            assertEquals(0, r.exit(), r.out());
            for (String c : DoctorPage.CHECKS) assertTrue(r.line("PASS", c), c + ":\n" + r.out());
        }

        @Test
        @Order(3)
        void redisStoppedOnlyRedisFailsInThePageAndTheCommand() {
            standIn.stopRedis();
            try {
                for (int i = 0; i < standIn.instances(); i++) {
                    URI instance = standIn.url(i);
                    Await.until(
                            "instance " + (i + 1) + " noticing that Redis stopped",
                            Duration.ofSeconds(20),
                            () -> get(instance, "/doctor/api/redis").contains("\"available\":false"));
                }
                DoctorPage page = openPage(QUERY);
                page.screenshot(SHOTS.resolve("doctor-redis-stopped.png"));
                Map<String, String> statuses = page.statuses();
                assertEquals("fail", statuses.get("redis"), page.describe());
                assertTrue(page.summary("redis").contains("unavailable"), page.describe());
                assertTrue(page.fix("redis").contains("REDIS_URL"), page.describe());
                for (String c : List.of(
                        "websocket", "polling", "instances", "rtt", "capacity", "idle", "platform", "config", "tls")) {
                    assertEquals("pass", statuses.get(c), c + page.describe());
                }
                assertTrue(
                        !page.describe()
                                .contains(String.valueOf(
                                        URI.create(standIn.redisUrl()).getPort())),
                        "the Redis address is not shown: " + page.describe());

                Cli r = cli(standIn.url());
                assertEquals(1, r.exit(), r.out());
                assertTrue(r.line("FAIL", "redis"), r.out());
                for (String c : List.of("websocket", "polling", "capacity", "idle", "platform", "config", "tls")) {
                    assertTrue(r.line("PASS", c), c + ":\n" + r.out());
                }
            } finally {
                standIn.startRedis();
            }
        }
    }

    @Nested
    class BrokenProxy extends Scenario {
        @Override
        StandInOptions options() {
            return twoInstances().brokenProxy(true);
        }

        @Test
        void thePageBlamesTheProxyForTheWebSocketWhilePollingPasses() {
            DoctorPage page = openPage(QUERY);
            page.screenshot(SHOTS.resolve("doctor-broken.png"));
            assertEquals("fail", page.status("websocket"), page.describe());
            assertTrue(page.summary("websocket").contains("proxy stripped the upgrade headers"), page.describe());
            assertTrue(page.fix("websocket").contains("proxy_set_header Upgrade"), page.describe());
            assertTrue(page.details("websocket").contains("Upgrade: (missing)"), page.describe());
            assertEquals("pass", page.status("polling"), page.describe());
            for (String c : List.of("instances", "config", "redis", "tls"))
                assertEquals("pass", page.status(c), c + page.describe());
            assertEquals("warn", page.status("idle"), "needs a WebSocket: " + page.describe());
            assertEquals("warn", page.status("rtt"), "WebSocket RTT not measurable: " + page.describe());
            assertEquals("fail", page.overall());
        }

        @Test
        void theCommandBlamesTheProxyAndExitsOne() {
            Cli r = cli(standIn.url());
            assertEquals(1, r.exit(), r.out());
            assertTrue(r.line("FAIL", "websocket"), r.out());
            assertTrue(r.out().contains("The proxy stripped the upgrade headers"), r.out());
            assertTrue(r.out().contains("HTTP 400"), r.out());
            assertTrue(r.line("PASS", "polling"), r.out());
            assertTrue(r.line("PASS", "redis"), r.out());
        }
    }

    @Nested
    class IdleTimeoutShorterThanHeartbeat extends Scenario {
        @Override
        StandInOptions options() {
            // The balancer cuts connections idle for 3 s; the server pings every 5 s; the deployer said so.
            return StandInOptions.defaults()
                    .instances(1)
                    .redis(true)
                    .idleTimeout(Duration.ofSeconds(3))
                    .env("TALLY_HEARTBEAT_MS", "5000")
                    .env("TALLY_LB_IDLE_TIMEOUT_S", "3");
        }

        @Test
        void theIdleWebSocketIsSeenCutAndTheConfigurationIsFlagged() {
            DoctorPage page = openPage("idle=8&hold=" + HOLD);
            assertEquals("pass", page.status("websocket"), page.describe());
            assertEquals("fail", page.status("idle"), page.describe());
            assertTrue(page.summary("idle").contains("was closed after"), page.describe());
            assertEquals("warn", page.status("config"), page.describe());
            assertTrue(
                    page.summary("config")
                            .contains("heartbeat 5 s is not shorter than the load balancer's 3 s idle timeout"),
                    page.describe());

            Cli r = cli("--idle", "8", "--hold", HOLD, standIn.url().toString());
            assertEquals(1, r.exit(), r.out());
            assertTrue(r.line("FAIL", "idle"), r.out());
            assertTrue(r.line("WARN", "config"), r.out());
            assertTrue(r.line("PASS", "websocket"), r.out());
        }
    }

    @Nested
    class NginxOutOfConnections extends Scenario {
        @Override
        StandInOptions options() {
            // Each proxied WebSocket takes two of a worker's 16 connections: the burst of 50 cannot fit.
            return StandInOptions.defaults()
                    .instances(1)
                    .redis(true)
                    .env("TALLY_HEARTBEAT_MS", HEARTBEAT_MS)
                    .nginxWorkerConnections(16);
        }

        @BeforeEach
        void healthyAgain() {
            // A burst can make the balancer's health checks fail for a moment (nginx has no room for them either).
            standIn.awaitHealthy(Duration.ofSeconds(30));
        }

        @Test
        void theCommandNamesWorkerConnectionsAndExitsOne() {
            Cli r = cli(standIn.url());
            assertEquals(1, r.exit(), r.out());
            assertTrue(r.line("FAIL", "capacity"), r.out());
            assertTrue(r.out().contains("nginx ran out of connections (worker_connections)"), r.out());
            assertTrue(r.out().contains("fix: Raise worker_connections"), r.out());
            assertTrue(r.out().contains("from nginx") || r.out().contains("from the load balancer"), r.out());
            assertTrue(r.line("PASS", "websocket"), r.out());
            assertTrue(r.line("PASS", "platform"), r.out());
            assertTrue(Files.exists(standIn.runDir().resolve("nginx-1/logs/error.log")), "nginx error log");
            assertTrue(
                    readQuietly(standIn.runDir().resolve("nginx-1/logs/error.log"))
                            .contains("worker_connections are not enough"),
                    "what the fix text tells to look for is in nginx's error log");
        }

        @Test
        void thePageNamesWorkerConnections() {
            DoctorPage page = openPage(QUERY);
            page.screenshot(SHOTS.resolve("doctor-worker-connections.png"));
            assertEquals("fail", page.status("capacity"), page.describe());
            assertTrue(page.summary("capacity").contains("worker_connections"), page.describe());
            assertTrue(page.fix("capacity").contains("Raise worker_connections"), page.describe());
            assertEquals("pass", page.status("websocket"), page.describe());
        }
    }

    @Nested
    class PlatformFilesNotApplied extends Scenario {
        @Override
        StandInOptions options() {
            // As after uploading the bare WAR: nginx runs the platform's files only, and its default read
            // timeout (60 s on the platform) is 3 s here so the doctor's 5 s hold outlasts it.
            return StandInOptions.defaults()
                    .instances(1)
                    .redis(true)
                    .env("TALLY_HEARTBEAT_MS", "1000")
                    .platformNginx(false)
                    .nginxDefaultReadTimeout(Duration.ofSeconds(3));
        }

        @Test
        void theCommandMeasuresNginxsDefaultCutAndExitsOne() {
            Cli r = cli("--idle", "2", "--hold", HOLD, standIn.url().toString());
            assertEquals(1, r.exit(), r.out());
            assertTrue(r.line("FAIL", "platform"), r.out());
            assertTrue(
                    r.out().matches("(?s).*nginx cut a request that was silent for [345] s \\(HTTP 504\\).*"), r.out());
            assertTrue(r.out().contains("not the 300 s Tally was told"), r.out());
            assertTrue(r.out().contains("tally-bundle.zip"), r.out());
        }

        @Test
        void thePageMeasuresNginxsDefaultCut() {
            DoctorPage page = openPage("idle=2&hold=" + HOLD);
            page.screenshot(SHOTS.resolve("doctor-platform-not-applied.png"));
            assertEquals("fail", page.status("platform"), page.describe());
            assertTrue(page.summary("platform").contains("nginx cut a request that was silent for"), page.describe());
            assertTrue(page.fix("platform").contains("tally-bundle.zip"), page.describe());
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
