package io.tally.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.standin.BeanstalkNginx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Static checks of .platform/nginx that nginx -t cannot make: placement, values, drift from the platform. */
class NginxFilesTest {
    private final Path nginx = NginxFiles.platform();

    @Test
    void filesAreUtf8WithUnixLineEndings() throws IOException {
        List<Path> files = Project.files(nginx, ".conf");
        assertFalse(files.isEmpty());
        for (Path f : files) {
            byte[] raw = Files.readAllBytes(f);
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw)); // the platform requires UTF-8
            } catch (CharacterCodingException e) {
                throw new AssertionError(f + " is not UTF-8", e);
            }
            assertFalse(new String(raw, StandardCharsets.UTF_8).contains("\r"), f + " has CRLF");
        }
    }

    @Test
    void httpLevelFilesHoldNoLocationOrServerBlocks() {
        // conf.d/*.conf is included inside http { }: a location there fails with "not allowed here".
        for (Path f : Project.files(nginx.resolve("conf.d"), ".conf")) {
            if (f.getParent().equals(nginx.resolve("conf.d"))) {
                for (String l : NginxFiles.lines(NginxFiles.read(f))) {
                    assertFalse(l.startsWith("location") || l.startsWith("server "), f + ": " + l);
                }
            }
        }
    }

    @Test
    void fullNginxConfKeepsThePlatformIncludesAndMap() {
        String conf = NginxFiles.read(nginx.resolve("nginx.conf"));
        List<String> lines = NginxFiles.lines(conf);
        assertTrue(lines.contains("include conf.d/*.conf;"), "platform and our http-level files");
        assertTrue(
                lines.contains("include conf.d/elasticbeanstalk/*.conf;"), "generated locations, health, static files");
        assertTrue(
                lines.contains("map $http_upgrade $connection_upgrade {"),
                "00_application.conf uses $connection_upgrade");
    }

    @Test
    void fullNginxConfDiffersFromThePlatformDefaultOnlyWhereTallyMeansTo() throws IOException {
        List<String> ours = NginxFiles.lines(NginxFiles.read(nginx.resolve("nginx.conf")));
        List<String> platform = NginxFiles.lines(BeanstalkNginx.resource("nginx.conf"));
        Set<String> intended = Set.of("worker_rlimit_nofile", "worker_connections", "keepalive_timeout");
        List<String> unexpected = new ArrayList<>();
        for (String l : ours)
            if (!platform.contains(l) && !intended.contains(l.split(" ")[0])) unexpected.add("added: " + l);
        for (String l : platform)
            if (!ours.contains(l) && !intended.contains(l.split(" ")[0])) unexpected.add("removed: " + l);
        assertEquals(List.of(), unexpected);
    }

    @Test
    void workerLimitsFitThousandsOfWebSockets() {
        String conf = NginxFiles.read(nginx.resolve("nginx.conf"));
        long connections =
                Long.parseLong(NginxFiles.values(conf, "worker_connections").get(0));
        long rlimit =
                Long.parseLong(NginxFiles.values(conf, "worker_rlimit_nofile").get(0));
        assertTrue(connections >= 8192, "worker_connections " + connections);
        assertTrue(rlimit >= 2 * connections, "each proxied WebSocket uses two descriptors: rlimit " + rlimit);
        assertTrue(rlimit >= 200_000, "never below what the platform's own nginx.conf sets (up to 200000): " + rlimit);
    }

    @Test
    void timeoutsOutliveHeartbeatAndTheLoadBalancer() {
        String http = NginxFiles.read(nginx.resolve("conf.d/tally.conf"));
        String main = NginxFiles.read(nginx.resolve("nginx.conf"));
        String live = NginxFiles.location(
                NginxFiles.read(nginx.resolve("conf.d/elasticbeanstalk/10-tally-live.conf")), "/live/");
        long idle = Ebextensions.number("aws:elbv2:loadbalancer", "IdleTimeout");
        long heartbeatS =
                Ebextensions.number("aws:elasticbeanstalk:application:environment", "TALLY_HEARTBEAT_MS") / 1000;
        for (String d : List.of("proxy_read_timeout", "proxy_send_timeout")) {
            long s = NginxFiles.seconds(NginxFiles.values(http, d).get(0));
            assertTrue(s >= 2 * heartbeatS, d + " " + s + " s vs heartbeat " + heartbeatS + " s");
            assertTrue(s >= idle, d + " should not cut what the ALB keeps open");
        }
        // nginx must not close idle client connections before the ALB does (ALB answers 502).
        assertTrue(
                NginxFiles.seconds(NginxFiles.values(main, "keepalive_timeout").get(0)) > idle);
        assertTrue(
                NginxFiles.seconds(NginxFiles.values(live, "keepalive_timeout").get(0)) > idle);
        assertTrue(NginxFiles.values(http, "client_max_body_size").get(0).matches("\\d+[mM]"));
    }

    @Test
    void liveLocationMakesTheUpgradeExplicitAndDoesNotBuffer() {
        String live = NginxFiles.location(
                NginxFiles.read(nginx.resolve("conf.d/elasticbeanstalk/10-tally-live.conf")), "/live/");
        List<String> l = NginxFiles.lines(live);
        assertTrue(l.contains("proxy_pass http://127.0.0.1:8080;"), "Tomcat on the platform's port");
        assertTrue(l.contains("proxy_http_version 1.1;"));
        assertTrue(l.contains("proxy_set_header Upgrade $http_upgrade;"));
        assertTrue(l.contains("proxy_set_header Connection $tally_connection;"));
        assertTrue(l.contains("proxy_set_header Host $tally_host;"));
        assertTrue(l.contains("proxy_set_header X-Forwarded-Proto $tally_forwarded_proto;"));
        assertTrue(l.contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;"));
        assertTrue(l.contains("proxy_buffering off;"));
        assertTrue(
                l.contains("access_log /var/log/nginx/access.log main;"), "keeps /live/ out of healthd's request log");
        String http = NginxFiles.read(nginx.resolve("conf.d/tally.conf"));
        assertTrue(http.contains("map $http_upgrade $tally_connection"), "our map, not the platform's name");
    }
}
