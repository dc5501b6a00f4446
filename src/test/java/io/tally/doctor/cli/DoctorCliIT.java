package io.tally.doctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.TallyServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line doctor against the embedded server: its lines and its exit status. */
class DoctorCliIT {
    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = DoctorCli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aHealthySingleInstancePassesEveryCheckAndExitsZero() {
        try (TallyServer server =
                TallyServer.start(Map.of("TALLY_INSTANCE_ID", "cli-1", "TALLY_HEARTBEAT_MS", "1000"))) {
            Run r = run("--idle", "2", "--hold", "2", server.baseUrl());
            assertEquals(0, r.exit(), r.out() + r.err());
            for (String id : new String[] {
                "websocket", "polling", "instances", "rtt", "capacity", "idle", "platform", "config", "redis", "tls"
            }) {
                assertTrue(
                        r.out().lines().anyMatch(l -> l.matches("PASS\\s+" + id + "\\s+.*")),
                        id + " should pass:\n" + r.out());
            }
            assertTrue(r.out().contains("welcomed by instance cli-1"), r.out());
            assertTrue(r.out().contains("50 extra WebSockets opened at once"), r.out());
            assertTrue(r.out().contains("A request silent for 2 s came through"), r.out());
            assertTrue(r.out().contains("10 passed, 0 warned, 0 failed"), r.out());
        }
    }

    @Test
    void jsonOutputCarriesTheSameVerdicts() {
        try (TallyServer server = TallyServer.start(Map.of("TALLY_HEARTBEAT_MS", "1000"))) {
            Run r = run("--json", "--idle", "0", "--hold", "0", "--burst", "0", server.baseUrl());
            assertEquals(0, r.exit(), r.out());
            assertTrue(r.out().contains("{\"id\":\"websocket\",\"status\":\"pass\""), r.out());
            assertTrue(
                    r.out().contains("{\"id\":\"idle\",\"status\":\"warn\""),
                    "skipped idle check is a warning: " + r.out());
            assertTrue(r.out().contains("{\"id\":\"platform\",\"status\":\"warn\",\"summary\":\"Skipped"), r.out());
            assertTrue(r.out().contains("{\"id\":\"capacity\",\"status\":\"warn\",\"summary\":\"Skipped"), r.out());
        }
    }

    /** bin/tally-doctor as a user runs it: the classes and the libraries they need, unpacked from the WAR. */
    @Test
    void theLauncherRunsFromTheWar(@TempDir Path tmp) throws Exception {
        Path war = Path.of("target/tally.war");
        assertTrue(Files.isRegularFile(war), "run `./mvnw -q -DskipTests package` first: no " + war);
        try (TallyServer server = TallyServer.start(Map.of("TALLY_HEARTBEAT_MS", "1000"))) {
            Path log = tmp.resolve("out.txt");
            ProcessBuilder pb = new ProcessBuilder(
                            "bin/tally-doctor", "--idle", "0", "--hold", "0", "--burst", "0", server.baseUrl())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("TALLY_WAR", war.toAbsolutePath().toString());
            pb.environment().put("TMPDIR", tmp.toString());
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the launcher did not exit within 60 s: " + Files.readString(log));
            }
            String text = Files.readString(log);
            assertEquals(0, p.exitValue(), text);
            assertTrue(text.lines().anyMatch(l -> l.matches("PASS\\s+websocket\\s+.*")), text);
            assertTrue(text.contains("fix: Run the doctor without the option that skips it"), text);
        }
    }

    @Test
    void nothingListeningFailsWithExitOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Run r = run("--idle", "0", "--polls", "1", "--hold", "2", "http://127.0.0.1:" + port);
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("FAIL  websocket")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("FAIL  polling")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("FAIL  config")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("WARN\\s+platform\\s+Could not measure.*")), r.out());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run().exit());
        assertEquals(2, run("ftp://example.com").exit());
        assertEquals(2, run("--idle").exit());
        assertEquals(2, run("--hold", "999", "http://127.0.0.1:1").exit());
        assertEquals(2, run("--burst", "many", "http://127.0.0.1:1").exit());
        assertEquals(0, run("--help").exit());
    }
}
