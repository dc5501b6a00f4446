package io.tally.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;

/** Offline validation of .ebextensions: what Beanstalk would reject, or silently ignore, fails here. */
class EbextensionsTest {
    /** Sections Beanstalk reads from a .config file (ebextensions.html), plus CloudFormation's. */
    private static final Set<String> SECTIONS = Set.of(
            "option_settings",
            "packages",
            "groups",
            "users",
            "sources",
            "files",
            "commands",
            "services",
            "container_commands",
            "Resources",
            "Outputs");

    private static final OptionTable TABLE = OptionTable.load();

    @Test
    void everyConfigIsUtf8YamlMapWithKnownSectionsAndNoTabs() throws IOException {
        List<Path> files = Project.ebextensions();
        assertFalse(files.isEmpty(), "no .ebextensions/*.config");
        for (Path f : files) {
            byte[] raw = Files.readAllBytes(f);
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw));
            } catch (CharacterCodingException e) {
                throw new AssertionError(f + " is not UTF-8", e);
            }
            String text = new String(raw, StandardCharsets.UTF_8);
            assertFalse(text.contains("\t"), f + ": YAML needs spaces, not tabs");
            assertFalse(text.contains("\r"), f + ": CRLF line endings");
            Object doc = Ebextensions.parse(f);
            assertTrue(doc instanceof Map, f + " must be a YAML map");
            for (Object key : ((Map<?, ?>) doc).keySet()) {
                assertTrue(SECTIONS.contains(key.toString()), f + ": unknown section " + key);
            }
        }
        // Anything else in the folder would be ignored by Beanstalk without a word.
        try (var s = Files.list(Project.dir().resolve(".ebextensions"))) {
            s.forEach(p -> assertTrue(p.toString().endsWith(".config"), p + " is not a .config file"));
        }
    }

    @Test
    void everyOptionIsDocumentedAndItsValueInRange() {
        List<String> problems = new ArrayList<>();
        for (Ebextensions.Setting s : Ebextensions.all()) {
            for (String p : TABLE.check(s.namespace(), s.option(), s.value()))
                problems.add(s.file().getFileName() + ": " + p);
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void noOptionIsSetInTwoFiles() {
        Map<String, Path> seen = new HashMap<>();
        for (Ebextensions.Setting s : Ebextensions.all()) {
            Path before = seen.put(s.namespace() + " " + s.option(), s.file());
            assertTrue(before == null, s.namespace() + " " + s.option() + " set in " + before + " and " + s.file());
        }
    }

    @Test
    void theValidatorItselfCatchesMistakes() {
        assertFalse(TABLE.check("aws:elbv2:loadbalancer", "IdleTimeout", 4000).isEmpty(), "above 3600");
        assertFalse(TABLE.check("aws:elbv2:loadbalancer", "IdelTimeout", 300).isEmpty(), "typo in option");
        assertFalse(TABLE.check("aws:elb:loadbalancer", "IdleTimeout", 300).isEmpty(), "classic namespace");
        assertFalse(
                TABLE.check("aws:elasticbeanstalk:environment", "LoadBalancerType", "Application")
                        .isEmpty(),
                "case");
        assertFalse(TABLE.check("aws:elasticbeanstalk:environment:process:default", "StickinessEnabled", "yes")
                .isEmpty());
        assertFalse(TABLE.check("aws:elasticbeanstalk:environment:process:default", "MatcherHTTPCode", "200,600")
                .isEmpty());
        assertFalse(TABLE.check("aws:elasticbeanstalk:container:tomcat:jvmoptions", "XX:MaxPermSize", "64m")
                .isEmpty());
        assertFalse(TABLE.check("aws:elasticbeanstalk:container:tomcat:jvmoptions", "Xmx", "1 GB")
                .isEmpty());
        assertFalse(
                TABLE.check("aws:elasticbeanstalk:application:environment", "TALLY_X", 5)
                        .isEmpty(),
                "unquoted number");
        assertTrue(TABLE.check("aws:elasticbeanstalk:environment:process:default", "MatcherHTTPCode", "200-299")
                .isEmpty());
        assertThrows(
                DuplicateKeyException.class,
                () -> Ebextensions.parse("option_settings:\n  a: {}\noption_settings:\n  b: {}\n"));
    }

    // --- what Tally needs from the environment -------------------------------------------------

    @Test
    void applicationLoadBalancerWithStickinessAndHealthCheck() {
        assertEquals("application", Ebextensions.value("aws:elasticbeanstalk:environment", "LoadBalancerType"));
        assertEquals("nginx", Ebextensions.value("aws:elasticbeanstalk:environment:proxy", "ProxyServer"));
        String process = "aws:elasticbeanstalk:environment:process:default";
        assertEquals("/healthz", Ebextensions.value(process, "HealthCheckPath"));
        assertEquals("true", Ebextensions.value(process, "StickinessEnabled"), "quoted 'true'");
        assertTrue(Ebextensions.number(process, "HealthCheckTimeout")
                < Ebextensions.number(process, "HealthCheckInterval"));
    }

    @Test
    void idleTimeoutIsWellAboveHeartbeatAndPollHold() {
        long idleMs = Ebextensions.number("aws:elbv2:loadbalancer", "IdleTimeout") * 1000;
        String env = "aws:elasticbeanstalk:application:environment";
        long heartbeat = Ebextensions.number(env, "TALLY_HEARTBEAT_MS");
        long pollHold = Ebextensions.number(env, "TALLY_POLL_HOLD_MS");
        assertTrue(idleMs >= 2 * Math.max(heartbeat, pollHold), "idle " + idleMs + " ms vs heartbeat " + heartbeat);
    }

    @Test
    void deregistrationDelayCoversTheDrainWindow() {
        long delayMs =
                Ebextensions.number("aws:elasticbeanstalk:environment:process:default", "DeregistrationDelay") * 1000;
        long drain = Ebextensions.number("aws:elasticbeanstalk:application:environment", "TALLY_DRAIN_WINDOW_MS");
        assertTrue(
                delayMs > drain,
                "deregistration delay " + delayMs + " ms must exceed the drain window " + drain + " ms");
    }

    /** Viewers move once the checks have been silent for max(TALLY_LB_SILENCE_MS, 2 intervals), within the drain window. */
    @Test
    void deregistrationDelayCoversTheSilenceAndTheMove() {
        String process = "aws:elasticbeanstalk:environment:process:default";
        String env = "aws:elasticbeanstalk:application:environment";
        long delayMs = Ebextensions.number(process, "DeregistrationDelay") * 1000;
        long intervalMs = Ebextensions.number(process, "HealthCheckInterval") * 1000;
        long silence = Math.max(Ebextensions.number(env, "TALLY_LB_SILENCE_MS"), 2 * intervalMs);
        long drain = Ebextensions.number(env, "TALLY_DRAIN_WINDOW_MS");
        assertTrue(
                delayMs >= silence + drain + 5_000,
                "delay " + delayMs + " ms vs silence " + silence + " + window " + drain);
    }

    @Test
    void heapIsSizedAndConsistent() {
        String ns = "aws:elasticbeanstalk:container:tomcat:jvmoptions";
        long xms = OptionTable.bytes(Ebextensions.value(ns, "Xms").toString());
        long xmx = OptionTable.bytes(Ebextensions.value(ns, "Xmx").toString());
        assertTrue(xms <= xmx, "Xms above Xmx");
        assertTrue(xmx > OptionTable.bytes("256m"), "more than the platform default of 256m");
        String opts = Ebextensions.value(ns, "JVM Options").toString();
        assertFalse(opts.contains("-Xmx") || opts.contains("-Xms"), "heap belongs in Xms/Xmx, not in JVM Options");
    }

    @Test
    void secretsAreNeverCommitted() {
        for (Ebextensions.Setting s : Ebextensions.all()) {
            if (!s.namespace().equals("aws:elasticbeanstalk:application:environment")) continue;
            String name = s.option().toUpperCase();
            assertFalse(
                    name.equals("REDIS_URL")
                            || name.contains("TOKEN")
                            || name.contains("PASSWORD")
                            || name.contains("SECRET")
                            || name.endsWith("_KEY"),
                    s.option() + " must be set in the console, not committed");
        }
    }
}
