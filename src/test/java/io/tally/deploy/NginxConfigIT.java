package io.tally.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tally.standin.BeanstalkNginx;
import io.tally.standin.Proc;
import io.tally.standin.RawHttp;
import io.tally.testing.Await;
import io.tally.testing.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real nginx on our .platform files laid out as Beanstalk lays them out (see BeanstalkNginx):
 * {@code nginx -t} passes, and a running nginx sends Tomcat the headers Tally relies on.
 */
class NginxConfigIT {
    // Under target/ rather than a JUnit temp dir: those are private (mode 700), and nginx workers
    // may run as another user (nobody, when the build runs as root) that must reach the log dirs.
    Path tmp;

    @BeforeEach
    void prefixes() throws IOException {
        tmp = Files.createDirectories(Project.dir().resolve("target/nginx-it/run-" + System.nanoTime()));
    }

    private BeanstalkNginx layout() {
        return new BeanstalkNginx(Project.dir());
    }

    private static void assertValid(Path conf) {
        Proc.Result r = BeanstalkNginx.test(conf);
        assertEquals(0, r.status(), "nginx -t:\n" + r.output() + "\n" + files(conf.getParent()));
        assertTrue(r.output().contains("test is successful"), r.output());
    }

    @Test
    void ourConfDFilesPassOnThePlatformDefaultNginxConf() {
        assertValid(layout().shippedMainConf(false).writeTo(tmp.resolve("default-main")));
    }

    @Test
    void ourFullNginxConfPassesWithEverythingIncluded() throws IOException {
        Path conf = layout().writeTo(tmp.resolve("ours"));
        assertTrue(Files.readString(conf).contains("worker_connections  16384"), "our nginx.conf is the one in use");
        assertValid(conf);
    }

    @Test
    void brokenProxyVariantIsValidToo() throws IOException {
        Path conf = layout().brokenProxy(true).writeTo(tmp.resolve("broken"));
        assertValid(conf);
        String live = Files.readString(conf.getParent().resolve("conf.d/elasticbeanstalk/10-tally-live.conf"));
        assertTrue(live.contains("proxy_set_header    Upgrade             \"\";"), live);
    }

    @Test
    void theCheckRejectsALocationAtHttpLevel() throws IOException {
        // The same mistake users make (kenzauros blog): proves nginx -t here really checks placement.
        Path conf = layout().writeTo(tmp.resolve("bad"));
        Files.writeString(conf.getParent().resolve("conf.d/zz-bad.conf"), "location /x/ { return 204; }\n");
        Proc.Result r = BeanstalkNginx.test(conf);
        assertNotEquals(0, r.status());
        assertTrue(r.output().contains("\"location\" directive is not allowed here"), r.output());
    }

    @Test
    void liveRequestsReachTomcatWithTheHeadersTallyNeeds() throws Exception {
        HttpServer echo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        echo.createContext("/", exchange -> {
            Map<String, String> seen = new TreeMap<>();
            for (String h : List.of("Host", "Connection", "Upgrade", "X-Forwarded-Proto", "X-Forwarded-For")) {
                String v = exchange.getRequestHeaders().getFirst(h);
                seen.put(h, v == null ? "-" : v);
            }
            byte[] body = seen.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        echo.start();
        int port = Ports.free();
        Path conf = layout().listenPort(port)
                .upstreamPort(echo.getAddress().getPort())
                .writeTo(tmp.resolve("run"));
        Proc nginx = Proc.start(
                "nginx",
                BeanstalkNginx.runCommand(conf),
                conf.getParent(),
                Map.of(),
                conf.getParent().resolve("logs/nginx.out"));
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            Await.until("nginx listening", Duration.ofSeconds(10), () -> {
                nginx.checkAlive();
                return RawHttp.get(base, "/live/poll").status() == 200;
            });
            // A poll: no upgrade asked, so none forwarded and the upstream connection is "close"
            // (the platform's own map would have said "upgrade"). Host keeps its port.
            String poll = RawHttp.get(base, "/live/poll").body();
            assertTrue(poll.contains("Connection=close"), poll);
            assertTrue(poll.contains("Upgrade=-"), poll);
            assertTrue(poll.contains("Host=127.0.0.1:" + port), poll);
            assertTrue(poll.contains("X-Forwarded-Proto=http"), "falls back to nginx's scheme: " + poll);
            assertTrue(poll.contains("X-Forwarded-For=127.0.0.1"), poll);
            // Behind the ALB: its X-Forwarded-Proto is kept and X-Forwarded-For appended to.
            String behindAlb = RawHttp.get(
                            base,
                            "/live/poll",
                            Map.of("X-Forwarded-Proto", "https", "X-Forwarded-For", "203.0.113.9"),
                            5_000)
                    .body();
            assertTrue(behindAlb.contains("X-Forwarded-Proto=https"), behindAlb);
            assertTrue(behindAlb.contains("X-Forwarded-For=203.0.113.9, 127.0.0.1"), behindAlb);
            // An upgrade request gets Upgrade and Connection: upgrade passed on.
            RawHttp.Response ws = RawHttp.request(
                    base, "GET", "/live/ws", Map.of("Upgrade", "websocket", "Connection", "Upgrade"), null, 5_000);
            assertTrue(ws.body().contains("Connection=upgrade") && ws.body().contains("Upgrade=websocket"), ws.body());
            // Everything else still goes through the platform's generated location.
            String other = RawHttp.get(base, "/api/games").body();
            assertTrue(other.contains("Host=127.0.0.1"), other);
            // Enhanced health's request log sees the page/API request but none of the /live/ ones.
            Path healthd = conf.getParent().resolve("logs/healthd");
            Await.until("healthd log written", Duration.ofSeconds(5), () -> healthdLog(healthd)
                    .contains("\"/api/games\""));
            assertFalse(healthdLog(healthd).contains("/live/"), healthdLog(healthd));
            assertTrue(Files.readString(conf.getParent().resolve("logs/access.log"))
                    .contains("GET /live/ws"));
        } finally {
            nginx.stop(5_000);
            echo.stop(0);
        }
    }

    private static String healthdLog(Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        try (var s = Files.list(dir)) {
            for (Path f : s.toList()) b.append(Files.readString(f));
        }
        return b.toString();
    }

    private static String files(Path dir) {
        try (var s = Files.walk(dir)) {
            return String.join("\n", s.map(Path::toString).toList());
        } catch (IOException e) {
            return e.toString();
        }
    }
}
