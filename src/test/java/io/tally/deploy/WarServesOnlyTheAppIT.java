package io.tally.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.standin.RawHttp;
import io.tally.standin.TomcatDistribution;
import io.tally.standin.TomcatInstance;
import io.tally.testing.Ports;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deploys the built WAR (target/tally.war) as ROOT.war into the official Tomcat 11 and 10.1, as
 * Beanstalk does with an uploaded WAR, and asks for every file in it that is not part of the app:
 * each answers 404 with our own body, never the file, a 403 or Tomcat's page naming its version.
 * The list comes from the WAR's entries, so a file added to the WAR root is tried too.
 */
class WarServesOnlyTheAppIT {
    /** What the app serves: its pages, scripts, styles and the doctor page. Everything else in the WAR is not for viewers. */
    private static final List<String> APP =
            List.of("index.html", "console.html", "game.html", "favicon.svg", "css/", "js/", "doctor/");

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "Tomcat {0}")
    @ValueSource(strings = {"11", "10.1"})
    void answersOnly404ForWhatIsNotTheApp(String line) throws Exception {
        Path project = Project.dir();
        Path war = project.resolve("target/tally.war");
        assertTrue(Files.isRegularFile(war), "run `mvn -q -DskipTests package` first: no " + war);
        TomcatDistribution dist = TomcatDistribution.of(
                line, project.resolve("target/standin-dist"), project.resolve("target/standin/dist"));
        TomcatInstance tomcat = new TomcatInstance(
                "tomcat-" + line,
                dist,
                tmp.resolve("base"),
                Ports.free(),
                war,
                Map.of("TALLY_ADMIN_TOKEN", "war-paths-test-token-0123456789"),
                "/healthz",
                project.resolve(".platform/hooks/predeploy/20-tomcat-connector.sh"));
        tomcat.start(Duration.ofSeconds(90));
        try {
            URI url = tomcat.url();
            List<String> notApp = notAppPaths(war);
            assertTrue(
                    notApp.stream().anyMatch(p -> p.startsWith("/.ebextensions/")),
                    "the WAR carries .ebextensions: " + notApp);
            assertTrue(
                    notApp.stream().anyMatch(p -> p.startsWith("/.platform/hooks/")),
                    "the WAR carries .platform: " + notApp);
            List<String> tried = new ArrayList<>(notApp);
            List<String> encodedSlash = new ArrayList<>();
            for (String p : notApp) {
                if (p.startsWith("/.")) tried.add("/%2E" + p.substring(2)); // an encoded dot
                if (p.startsWith("/.platform/"))
                    encodedSlash.add("/.platform%2F" + p.substring("/.platform/".length()));
                if (p.startsWith("/.ebextensions/"))
                    encodedSlash.add("/%2eebextensions%2f" + p.substring("/.ebextensions/".length()));
            }
            tried.addAll(List.of(
                    "/dev/client-test.html",
                    "/dev/client-test.js",
                    "/dev/",
                    "/no-such-page",
                    "/.git/config",
                    "/WEB-INF/error",
                    "/.ebextensions",
                    "/.platform"));

            List<String> wrong = new ArrayList<>();
            for (String path : tried) {
                RawHttp.Response r = RawHttp.get(url, path, Map.of(), 5_000);
                if (r.status() != 404 || !ours(r, dist))
                    wrong.add(path + " -> " + r.status() + " " + abbreviate(r.body()));
            }
            assertEquals(List.of(), wrong, "paths answered other than our own 404 on Tomcat " + dist.version());

            // Tomcat refuses an encoded slash itself (400, before any webapp): never the file, and
            // with the connector hook's quiet valve its page names no version.
            for (String path : encodedSlash) {
                RawHttp.Response r = RawHttp.get(url, path, Map.of(), 5_000);
                if ((r.status() != 400 && r.status() != 404)
                        || r.body().contains(dist.version())
                        || r.body().contains("Apache Tomcat")) {
                    wrong.add(path + " -> " + r.status() + " " + abbreviate(r.body()));
                }
            }
            assertEquals(List.of(), wrong, "encoded-slash paths on Tomcat " + dist.version());

            // Errors other than 404 carry our body too.
            RawHttp.Response delete = RawHttp.request(url, "DELETE", "/index.html", Map.of(), null, 5_000);
            assertEquals(405, delete.status(), delete.body());
            assertTrue(ours(delete, dist), delete.body());
            RawHttp.Response bad = RawHttp.get(url, "/%", Map.of(), 5_000);
            assertEquals(400, bad.status(), bad.body());
            assertFalse(bad.body().contains(dist.version()) || bad.body().contains("Apache Tomcat"), bad.body());

            // And the app itself is still served.
            assertEquals(200, RawHttp.get(url, "/", Map.of(), 5_000).status());
            assertEquals(200, RawHttp.get(url, "/js/tally.js", Map.of(), 5_000).status());
        } finally {
            tomcat.stop(Duration.ofSeconds(20));
        }
    }

    /** Every entry of the WAR outside the app's own files (directories too), as a URL path. */
    static List<String> notAppPaths(Path war) throws Exception {
        Set<String> out = new LinkedHashSet<>();
        try (ZipFile zip = new ZipFile(war.toFile())) {
            zip.stream()
                    .map(e -> e.getName())
                    .filter(n -> APP.stream().noneMatch(a -> a.endsWith("/") ? n.startsWith(a) : n.equals(a)))
                    .forEach(n -> out.add("/" + n));
        }
        return List.copyOf(out);
    }

    private static boolean ours(RawHttp.Response r, TomcatDistribution dist) {
        String type = r.header("Content-Type");
        return type != null
                && type.startsWith("application/problem+json")
                && r.body().contains("\"status\":" + r.status())
                && !r.body().contains(dist.version())
                && !r.body().contains("Apache Tomcat");
    }

    private static String abbreviate(String body) {
        String oneLine = body.replaceAll("\\s+", " ");
        return oneLine.length() > 120 ? oneLine.substring(0, 120) + "…" : oneLine;
    }
}
