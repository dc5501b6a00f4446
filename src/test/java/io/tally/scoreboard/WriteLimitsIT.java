package io.tally.scoreboard;

import static io.tally.scoreboard.ApiClient.auth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.scoreboard.wiring.Scoreboard;
import io.tally.testing.TallyServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Server-level settings: the write rate limit, and the scorer token (required when deployed, generated for a local run). */
class WriteLimitsIT {
    @Test
    void writesBeyondTheBurstAre429WithRetryAfter() {
        TallyServer server = TallyServer.start(Map.of(
                "TALLY_ADMIN_TOKEN", ScoreboardApiContract.TOKEN, "TALLY_WRITE_RATE", "1", "TALLY_WRITE_BURST", "3"));
        try {
            ApiClient api = new ApiClient(server.baseUrl());
            for (int i = 0; i < 3; i++) {
                assertEquals(
                        200,
                        api.post(
                                        "/api/games/sample/events",
                                        ApiClient.score("home", 1),
                                        auth(ScoreboardApiContract.TOKEN))
                                .status());
            }
            ApiClient.Response r =
                    api.post("/api/games/sample/events", ApiClient.score("home", 1), auth(ScoreboardApiContract.TOKEN));
            assertEquals(429, r.status());
            assertEquals("rate-limited", r.code());
            assertNotNull(r.header("Retry-After"));
            assertEquals(
                    429,
                    api.get("/api/session", auth("guessing-the-token-1234")).status(),
                    "token guesses count too");
            assertEquals(200, api.get("/api/games").status(), "reads are not limited");
        } finally {
            server.stop();
        }
    }

    /** Every log record formatted, while open. */
    static final class LogCapture extends Handler implements AutoCloseable {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        LogCapture() {
            setLevel(Level.ALL);
            Logger.getLogger("").addHandler(this);
        }

        @Override
        public void publish(LogRecord r) {
            lines.add(new SimpleFormatter().format(r));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            Logger.getLogger("").removeHandler(this);
        }
    }

    @Test
    void noTokenEverReachesTheLog() {
        String wrong = "wrong-token-that-must-not-be-logged";
        List<String> logged;
        try (LogCapture capture = new LogCapture()) {
            logged = capture.lines;
            TallyServer server = TallyServer.start(Map.of("TALLY_ADMIN_TOKEN", ScoreboardApiContract.TOKEN));
            try {
                ApiClient api = new ApiClient(server.baseUrl());
                api.post(
                        "/api/games",
                        Map.of("home", "A", "away", "B", "status", "live"),
                        auth(ScoreboardApiContract.TOKEN));
                api.post("/api/games", Map.of("home", "A", "away", "B", "status", "live"), auth(wrong));
                api.post("/api/games", "{broken", auth(ScoreboardApiContract.TOKEN));
                api.post("/api/games/sample/events", ApiClient.score("home", -99), auth(ScoreboardApiContract.TOKEN));
                api.get("/api/session", auth(wrong));
            } finally {
                server.stop();
            }
        }
        assertTrue(!logged.isEmpty(), "the server did log something");
        for (String line : logged) {
            assertTrue(!line.contains(ScoreboardApiContract.TOKEN) && !line.contains(wrong), line);
        }
    }

    @Test
    void aDeployedWarWithoutATokenRefusesToStartAndTheLogSaysWhatToSet() {
        try (LogCapture capture = new LogCapture()) {
            // As in a container: no TALLY_ADMIN_TOKEN, and no launcher asking for a generated one.
            assertThrows(
                    IllegalStateException.class,
                    () -> TallyServer.start(Map.of(Scoreboard.GENERATE_TOKEN_PARAMETER, "false")));
            assertTrue(
                    capture.lines.stream()
                            .anyMatch(l -> l.contains("TALLY_ADMIN_TOKEN is not set")
                                    && l.contains("Environment properties")
                                    && l.contains("eb setenv TALLY_ADMIN_TOKEN")),
                    String.join("", capture.lines));
        }
    }

    @Test
    void aLocalRunWithoutATokenPrintsAGeneratedOneThatWorks() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        TallyServer server;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LogCapture log = new LogCapture();
        try {
            server = TallyServer.start(Map.of(Scoreboard.GENERATE_TOKEN_PARAMETER, "true"));
        } finally {
            System.setOut(original);
            log.close();
        }
        try {
            Matcher m = Pattern.compile("Scorer token[^\\n]*\\n\\s+(\\S+)")
                    .matcher(captured.toString(StandardCharsets.UTF_8));
            assertTrue(m.find(), "the token is printed at start-up");
            for (String line : log.lines)
                assertTrue(!line.contains(m.group(1)), "the generated token is not logged: " + line);
            ApiClient api = new ApiClient(server.baseUrl());
            assertEquals(200, api.get("/api/session", auth(m.group(1))).status());
            assertEquals(200, api.get("/api/games/sample").status(), "the sample game is there");
        } finally {
            server.stop();
        }
    }
}
