package io.tally.dev;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.json.Json;
import io.tally.testing.Http;
import io.tally.testing.TallyServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local run's demo plays the sample game through the public API: the board moves by itself. */
class DemoGameIT {
    private static final String TOKEN = "demo-game-token-0123456789";

    @Test
    void theSampleGameMovesWithoutAScorer() throws Exception {
        try (TallyServer server = TallyServer.start(Map.of("TALLY_ADMIN_TOKEN", TOKEN, "TALLY_SAMPLE_GAME", "true"))) {
            long before = version(server);
            DemoGame demo = DemoGame.start(server.baseUrl(), TOKEN);
            try {
                long deadline = System.nanoTime() + 30_000_000_000L; // first move after 2 s, then every 2.5–6 s
                long now = before;
                while (now <= before && System.nanoTime() < deadline) {
                    now = version(server);
                    if (now <= before) Thread.sleep(100); // polling the API with a deadline
                }
                assertTrue(now > before, "the sample game did not move within 30 s (version " + before + ")");
            } finally {
                demo.stop();
            }
        }
    }

    private static long version(TallyServer server) {
        String body = Http.get(server.baseUrl() + "/api/games/sample").body();
        Map<?, ?> game = (Map<?, ?>) ((Map<?, ?>) Json.parse(body)).get("game");
        return ((Number) game.get("version")).longValue();
    }
}
