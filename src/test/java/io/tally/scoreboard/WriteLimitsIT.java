package io.tally.scoreboard;

import io.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tally.scoreboard.ApiClient.auth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server-level settings: the write rate limit, and the token generated for a local run. */
class WriteLimitsIT {
    @Test
    void writesBeyondTheBurstAre429WithRetryAfter() {
        TallyServer server = TallyServer.start(Map.of("TALLY_ADMIN_TOKEN", ScoreboardApiContract.TOKEN,
                "TALLY_WRITE_RATE", "1", "TALLY_WRITE_BURST", "3"));
        try {
            ApiClient api = new ApiClient(server.baseUrl());
            for (int i = 0; i < 3; i++) {
                assertEquals(200, api.post("/api/games/sample/events", ApiClient.score("home", 1), auth(ScoreboardApiContract.TOKEN)).status());
            }
            ApiClient.Response r = api.post("/api/games/sample/events", ApiClient.score("home", 1), auth(ScoreboardApiContract.TOKEN));
            assertEquals(429, r.status());
            assertEquals("rate-limited", r.code());
            assertNotNull(r.header("Retry-After"));
            assertEquals(429, api.get("/api/session", auth("guessing-the-token-1234")).status(), "token guesses count too");
            assertEquals(200, api.get("/api/games").status(), "reads are not limited");
        } finally {
            server.stop();
        }
    }

    @Test
    void noTokenEverReachesTheLog() {
        java.util.List<String> logged = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(new java.util.logging.SimpleFormatter().format(r));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(java.util.logging.Level.ALL);
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        String wrong = "wrong-token-that-must-not-be-logged";
        TallyServer server = TallyServer.start(Map.of("TALLY_ADMIN_TOKEN", ScoreboardApiContract.TOKEN));
        try {
            ApiClient api = new ApiClient(server.baseUrl());
            api.post("/api/games", Map.of("home", "A", "away", "B"), auth(ScoreboardApiContract.TOKEN));
            api.post("/api/games", Map.of("home", "A", "away", "B"), auth(wrong));
            api.post("/api/games", "{broken", auth(ScoreboardApiContract.TOKEN));
            api.post("/api/games/sample/events", ApiClient.score("home", -99), auth(ScoreboardApiContract.TOKEN));
            api.get("/api/session", auth(wrong));
        } finally {
            server.stop();
            root.removeHandler(capture);
        }
        assertTrue(!logged.isEmpty(), "the server did log something");
        for (String line : logged) {
            assertTrue(!line.contains(ScoreboardApiContract.TOKEN) && !line.contains(wrong), line);
        }
    }

    @Test
    void aLocalRunWithoutATokenPrintsAGeneratedOneThatWorks() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        TallyServer server;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            server = TallyServer.start(Map.of());
        } finally {
            System.setOut(original);
        }
        try {
            Matcher m = Pattern.compile("Scorer token[^\\n]*\\n\\s+(\\S+)").matcher(captured.toString(StandardCharsets.UTF_8));
            assertTrue(m.find(), "the token is printed at start-up");
            ApiClient api = new ApiClient(server.baseUrl());
            assertEquals(200, api.get("/api/session", auth(m.group(1))).status());
            assertEquals(200, api.get("/api/games/sample").status(), "the sample game is there");
        } finally {
            server.stop();
        }
    }
}
