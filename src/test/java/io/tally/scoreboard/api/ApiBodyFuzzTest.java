package io.tally.scoreboard.api;

import static io.tally.testing.FuzzChecks.assertSafeMessage;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tally.json.Json;
import io.tally.json.JsonWriter;
import io.tally.scoreboard.game.Game;
import io.tally.scoreboard.game.GameEvent;
import io.tally.scoreboard.game.GameJson;
import io.tally.scoreboard.game.GameRules;
import io.tally.scoreboard.game.GameStatus;
import io.tally.scoreboard.game.InvalidInput;
import io.tally.scoreboard.game.NewGame;
import io.tally.scoreboard.game.Rejected;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Coverage-guided fuzzing of the REST API's body handling, as {@code ApiServlet} chains it: JSON
 * within the depth limit, then the new-game or event rules. Whatever the body, the outcome is a
 * value or one of the refusals the servlet turns into a 400/409 (Problem, InvalidInput, Rejected)
 * with a short, sendable message; and what is accepted survives the store's JSON round trip.
 */
class ApiBodyFuzzTest {
    private static final int DEPTH = 16;
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @FuzzTest(maxDuration = "2m")
    void anyNewGameBodyIsAcceptedOrRefusedWithA400(byte[] input) {
        String body = new String(input, StandardCharsets.UTF_8);
        NewGame request;
        try {
            request = NewGame.fromJson(JsonBody.parse(body, DEPTH));
        } catch (Problem | InvalidInput refused) {
            assertSafeMessage(refused.getMessage());
            return;
        }
        Game game = request.start("g1", NOW);
        storedAndReadBack(game);
    }

    @FuzzTest(maxDuration = "2m")
    void anyEventBodyIsAppliedOrRefusedWithA400Or409(byte[] input) {
        String body = new String(input, StandardCharsets.UTF_8);
        GameEvent event;
        try {
            event = GameEvent.fromJson(JsonBody.parse(body, DEPTH));
        } catch (Problem | InvalidInput refused) {
            assertSafeMessage(refused.getMessage());
            return;
        }
        Game game = new NewGame("basketball", "Home", "Away", "Q1", GameStatus.LIVE).start("g1", NOW);
        try {
            game = GameRules.apply(game, event, NOW);
        } catch (Rejected refused) {
            assertSafeMessage(refused.getMessage());
            return;
        }
        storedAndReadBack(game);
    }

    /** What the store writes must read back as the same game (the Redis store keeps it as JSON). */
    private static void storedAndReadBack(Game game) {
        String stored = JsonWriter.write(GameJson.full(game));
        @SuppressWarnings("unchecked")
        Game back = GameJson.read((java.util.Map<String, Object>) Json.parse(stored, DEPTH));
        if (!back.equals(game)) throw new AssertionError("stored game reads back differently: " + stored);
    }
}
