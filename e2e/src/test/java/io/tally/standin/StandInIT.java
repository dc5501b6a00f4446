package io.tally.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.Await;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The stand-in with the real WAR (target/tally.war): the whole chain HAProxy → nginx (platform
 * layout + our .platform files) → Tomcat 11 / 10.1 → Redis works, and the broken-proxy variant
 * breaks exactly the WebSocket upgrade and nothing else.
 */
class StandInIT {
    private static final Pattern INSTANCE = Pattern.compile("\"instance\"\\s*:\\s*\"([^\"]+)\"");

    static String instanceOf(RawHttp.Response poll) {
        Matcher m = INSTANCE.matcher(poll.body());
        assertTrue(m.find(), "no instance in " + poll.body());
        return m.group(1);
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Normal {
        StandIn standIn;

        @BeforeAll
        void start() {
            long t0 = System.nanoTime();
            standIn = StandIn.start(StandInOptions.defaults().instances(2).sticky(true));
            // Typically 4-8 s here; not asserted, because other builds on a shared 2-core machine
            // can stretch it several times over (the start timeout bounds it).
            System.out.println("stand-in started in "
                    + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
        }

        @AfterAll
        void stop() {
            if (standIn != null) standIn.close();
        }

        @Test
        void healthzAnswersThroughTheBalancerAndOnEveryInstance() throws IOException {
            assertEquals(200, RawHttp.get(standIn.url(), "/healthz").status());
            for (int i = 0; i < standIn.instances(); i++) {
                assertEquals(200, RawHttp.get(standIn.url(i), "/healthz").status(), "instance " + i + " via its nginx");
            }
            assertEquals(
                    List.of("i1", "i2"),
                    standIn.balancer().upServers().stream().sorted().toList());
            assertEquals("11", standIn.tomcatVersion(0).split("\\.")[0]);
            assertEquals("10.1", standIn.tomcatVersion(1).substring(0, 4));
        }

        /** What Beanstalk reads from the WAR root (and the dev pages) is not for viewers: 404 through the whole path. */
        @Test
        void theDeploymentFilesInTheWarAreNotServedThroughTheBalancer() throws IOException {
            List<String> paths =
                    new java.util.ArrayList<>(List.of("/dev/client-test.html", "/%2Eplatform/nginx/nginx.conf"));
            try (java.util.zip.ZipFile war = new java.util.zip.ZipFile(
                    standIn.projectDir().resolve("target/tally.war").toFile())) {
                war.stream()
                        .map(e -> e.getName())
                        .filter(n -> n.startsWith(".ebextensions/") || n.startsWith(".platform/"))
                        .forEach(n -> paths.add("/" + n));
            }
            assertTrue(paths.size() > 5, "the WAR carries its deployment files: " + paths);
            for (String path : paths) {
                RawHttp.Response r = RawHttp.get(standIn.url(), path);
                assertEquals(404, r.status(), path);
                assertTrue(
                        !r.body().contains("option_settings")
                                && !r.body().contains("#!/bin/bash")
                                && !r.body().contains("worker_connections")
                                && !r.body().contains("Apache Tomcat"),
                        path + ": " + r.body());
            }
        }

        @Test
        void tomcatRunsWithTheJvmOptionsAndPropertiesOfOurEbextensions() throws IOException {
            // Beanstalk applies .ebextensions; so does the stand-in. A bad JVM option would stop Tomcat here too.
            String jvm = Ebextensions.jvmOptions(standIn.projectDir());
            assertTrue(jvm.contains("-Xmx512m") && jvm.contains("-XX:+UseG1GC"), jvm);
            for (int i = 0; i < standIn.instances(); i++) {
                String cmd = ProcessHandle.of(standIn.tomcatPid(i))
                        .orElseThrow()
                        .info()
                        .commandLine()
                        .orElse("");
                assertTrue(cmd.contains("-Xmx512m") && cmd.contains("-XX:+UseG1GC"), cmd);
            }
            // Environment properties reach the JVM's environment (Linux: /proc/PID/environ).
            String environ = Files.readString(java.nio.file.Path.of("/proc/" + standIn.tomcatPid(0) + "/environ"))
                    .replace('\0', '\n');
            for (Map.Entry<String, String> p :
                    Ebextensions.environment(standIn.projectDir()).entrySet()) {
                assertTrue(environ.contains("\n" + p.getKey() + "=" + p.getValue() + "\n"), p.getKey() + " not passed");
            }
            assertTrue(environ.contains("\nTALLY_INSTANCE_ID=" + standIn.instanceId(0) + "\n"));
        }

        @Test
        void pollsReachBothInstancesAndTheAwsalbCookiePinsOne() throws IOException {
            Set<String> seen = new HashSet<>();
            String cookie = null;
            for (int k = 0; k < 4; k++) {
                RawHttp.Response poll = RawHttp.get(standIn.url(), "/live/poll");
                assertEquals(200, poll.status(), poll.body());
                seen.add(instanceOf(poll));
                for (String c : poll.setCookies()) if (c.startsWith("AWSALB=")) cookie = c.substring(0, c.indexOf(';'));
            }
            Set<String> expected = Set.of(standIn.instanceId(0), standIn.instanceId(1));
            assertEquals(expected, seen, "round robin without a cookie");
            assertTrue(cookie != null, "balancer sets AWSALB");
            Set<String> pinned = new HashSet<>();
            for (int k = 0; k < 4; k++)
                pinned.add(instanceOf(RawHttp.get(standIn.url(), "/live/poll", Map.of("Cookie", cookie), 5_000)));
            assertEquals(1, pinned.size(), "with " + cookie + " every poll lands on one instance: " + pinned);
        }

        @Test
        void webSocketUpgradeSucceedsThroughTheWholeChain() throws IOException {
            RawHttp.Response r = RawHttp.upgrade(standIn.url(), "/live/ws", RawHttp.originOf(standIn.url()), 5_000);
            assertEquals(101, r.status(), "headers: " + r.headers());
            assertEquals("websocket", r.header("upgrade").toLowerCase());
            for (int i = 0; i < standIn.instances(); i++) {
                RawHttp.Response direct =
                        RawHttp.upgrade(standIn.url(i), "/live/ws", RawHttp.originOf(standIn.url(i)), 5_000);
                assertEquals(101, direct.status(), "instance " + i + " (Tomcat " + standIn.tomcatVersion(i) + ")");
            }
        }

        @Test
        void aBrowserOpensAWebSocketThroughTheChain() throws IOException {
            try (HeadlessChromium browser = new HeadlessChromium()) {
                String ws = browser.run(standIn.url() + "/", HeadlessChromium.TRY_WEBSOCKET);
                assertTrue(ws.startsWith("open:") && ws.contains("\"type\":\"welcome\""), ws);
                // The scoreboard page at the environment's URL goes live over WebSocket.
                String shown = browser.awaitAttribute(
                        standIn.url() + "/", "connection", "data-status", "connected", Duration.ofSeconds(30));
                assertEquals("websocket", browser.attribute("connection", "data-transport"), shown);
            }
        }

        @Test
        void originCheckSeesTheHostWithItsPortAndRefusesForeignOrigins() throws IOException {
            // nginx forwards Host with the port; a foreign page must be refused.
            RawHttp.Response foreign = RawHttp.upgrade(standIn.url(), "/live/ws", "http://evil.example", 5_000);
            assertEquals(403, foreign.status());
        }

        @Test
        void aKilledTomcatLeavesTheBalancerAndComesBack() throws IOException {
            standIn.killTomcat(1);
            Await.until("instance 2 marked down", Duration.ofSeconds(20), () -> standIn.balancer()
                    .upServers()
                    .equals(List.of("i1")));
            for (int k = 0; k < 3; k++) {
                assertEquals(standIn.instanceId(0), instanceOf(RawHttp.get(standIn.url(), "/live/poll")));
            }
            standIn.restartTomcat(1);
            assertEquals(
                    List.of("i1", "i2"),
                    standIn.balancer().upServers().stream().sorted().toList());
            assertTrue(Files.size(standIn.runDir().resolve("tomcat-2/logs/catalina.out")) > 0);
        }

        @Test
        void aDisabledInstanceGetsNoRequestsUntilEnabled() throws IOException {
            standIn.disableInstance(1, false);
            try {
                for (int k = 0; k < 4; k++) {
                    String id = instanceOf(RawHttp.get(standIn.url(), "/live/poll"));
                    assertEquals(0, standIn.instanceIndex(id), id);
                }
            } finally {
                standIn.enableInstance(1);
            }
            standIn.awaitHealthy(Duration.ofSeconds(20));
            assertEquals(
                    List.of("i1", "i2"),
                    standIn.balancer().upServers().stream().sorted().toList());
        }

        @Test
        void pausedPathStallsRequestsUntilResumed() throws IOException {
            standIn.pausePath();
            try {
                assertThrows(
                        SocketTimeoutException.class, () -> RawHttp.get(standIn.url(), "/healthz", Map.of(), 1_000));
            } finally {
                standIn.resumePath();
            }
            assertEquals(200, RawHttp.get(standIn.url(), "/healthz").status());
        }

        @Test
        void onePausedViewerPathLeavesTheOthersAlone() throws Exception {
            NetworkPath viewer = standIn.openPath();
            // A WebSocket opened through the viewer's path, like a browser would.
            try (java.net.Socket ws =
                    new java.net.Socket("127.0.0.1", viewer.url().getPort())) {
                ws.setSoTimeout(5_000);
                String hs =
                        "GET /live/ws HTTP/1.1\r\nHost: " + viewer.url().getAuthority() + "\r\nUpgrade: websocket\r\n"
                                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                                + "Origin: " + RawHttp.originOf(viewer.url()) + "\r\n\r\n";
                ws.getOutputStream().write(hs.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                String status =
                        new String(ws.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertEquals("HTTP/1.1 101", status);
                standIn.pausePath(viewer);
                try {
                    assertThrows(
                            SocketTimeoutException.class, () -> RawHttp.get(viewer.url(), "/healthz", Map.of(), 1_000));
                    assertEquals(
                            200, RawHttp.get(standIn.url(), "/healthz").status(), "the balancer itself still serves");
                } finally {
                    standIn.resumePath();
                }
                assertEquals(200, RawHttp.get(viewer.url(), "/healthz").status());
                assertTrue(!ws.isClosed(), "the viewer's WebSocket was stalled, not closed");
            }
        }

        @Test
        void redisRestartsOnItsPort() throws IOException {
            org.junit.jupiter.api.Assumptions.assumeTrue(standIn.redisUrl() != null, "WAR without a Redis broker");
            RedisServer probe = new RedisServer(URI.create(standIn.redisUrl()).getPort(), standIn.runDir());
            standIn.stopRedis();
            assertThrows(IOException.class, probe::ping);
            standIn.startRedis();
            assertTrue(probe.ping());
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class BrokenProxy {
        StandIn standIn;

        @BeforeAll
        void start() {
            standIn = StandIn.start(StandInOptions.defaults().instances(1).brokenProxy(true));
        }

        @AfterAll
        void stop() {
            if (standIn != null) standIn.close();
        }

        @Test
        void webSocketUpgradeFailsButPollingWorks() throws IOException {
            RawHttp.Response upgrade =
                    RawHttp.upgrade(standIn.url(), "/live/ws", RawHttp.originOf(standIn.url()), 5_000);
            assertNotEquals(101, upgrade.status(), "a proxy that strips Upgrade must not let the handshake through");
            RawHttp.Response poll = RawHttp.get(standIn.url(), "/live/poll");
            assertEquals(200, poll.status(), poll.body());
            assertEquals(standIn.instanceId(0), instanceOf(poll));
        }

        @Test
        void inABrowserTheWebSocketFailsAndPollingWorks() throws IOException {
            try (HeadlessChromium browser = new HeadlessChromium()) {
                String ws = browser.run(standIn.url() + "/", HeadlessChromium.TRY_WEBSOCKET);
                assertTrue(ws.startsWith("failed:"), "the upgrade must fail behind the broken proxy: " + ws);
                String poll = browser.run(standIn.url() + "/", HeadlessChromium.POLL);
                assertTrue(poll.startsWith("200:") && poll.contains(standIn.instanceId(0)), poll);
                // The scoreboard page still goes live, on long-polling.
                String shown = browser.awaitAttribute(
                        standIn.url() + "/", "connection", "data-transport", "polling", Duration.ofSeconds(30));
                assertEquals("connected", browser.attribute("connection", "data-status"), shown);
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class NoStickinessShortIdleTimeout {
        StandIn standIn;

        @BeforeAll
        void start() {
            // Heartbeat above the idle timeout: the balancer, not Tally, must end the quiet connection.
            standIn = StandIn.start(StandInOptions.defaults()
                    .instances(1)
                    .sticky(false)
                    .idleTimeout(Duration.ofSeconds(2))
                    .env("TALLY_HEARTBEAT_MS", "60000"));
        }

        @AfterAll
        void stop() {
            if (standIn != null) standIn.close();
        }

        @Test
        void noAwsalbCookieWithoutStickiness() throws IOException {
            RawHttp.Response poll = RawHttp.get(standIn.url(), "/live/poll");
            assertEquals(200, poll.status());
            assertTrue(
                    poll.setCookies().stream().noneMatch(c -> c.startsWith("AWSALB")),
                    poll.setCookies().toString());
        }

        @Test
        void theBalancerClosesAQuietWebSocketAtItsIdleTimeout() throws IOException {
            try (java.net.Socket ws =
                    new java.net.Socket("127.0.0.1", standIn.url().getPort())) {
                ws.setSoTimeout(15_000);
                String hs =
                        "GET /live/ws HTTP/1.1\r\nHost: " + standIn.url().getAuthority() + "\r\nUpgrade: websocket\r\n"
                                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
                ws.getOutputStream().write(hs.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                long t0 = System.nanoTime();
                // Read the 101 and the welcome frame, then nothing more until the balancer gives up.
                java.io.InputStream in = ws.getInputStream();
                assertEquals(
                        "HTTP/1.1 101", new String(in.readNBytes(12), java.nio.charset.StandardCharsets.ISO_8859_1));
                while (in.read() >= 0) {
                    // drain until EOF (bounded by the 15 s socket timeout)
                }
                long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
                assertTrue(ms >= 1_500 && ms < 10_000, "closed after " + ms + " ms, idle timeout 2 s");
            }
        }
    }
}
