package io.tally.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The scoreboard viewer numbers live messages by the game's version, whichever format carries it. */
class WsViewerTest {

    private static long version(String frame) {
        byte[] b = frame.getBytes(StandardCharsets.UTF_8);
        return WsViewer.gameVersion(b, 0, b.length);
    }

    @Test
    void theWholeGameWithItsLogGivesTheGamesVersion() {
        assertEquals(
                53,
                version(
                        "{\"type\":\"message\",\"room\":\"game-x\",\"position\":{\"epoch\":\"e\",\"offset\":\"7\"},"
                                + "\"data\":{\"kind\":\"event\",\"event\":{\"version\":53,\"type\":\"score\"},\"game\":{\"id\":\"x\",\"version\":53,"
                                + "\"log\":[{\"version\":51,\"type\":\"score\"},{\"version\":52,\"type\":\"score\"},{\"version\":53,\"type\":\"score\"}]}}}"));
    }

    @Test
    void anEventWithASmallSummaryGivesTheGamesVersionWhateverTheFieldOrder() {
        assertEquals(
                54,
                version(
                        "{\"type\":\"message\",\"room\":\"game-x\",\"position\":{\"epoch\":\"e\",\"offset\":\"8\"},"
                                + "\"data\":{\"kind\":\"event\",\"summary\":{\"version\":54,\"home\":{\"score\":3}},\"event\":{\"type\":\"score\",\"version\":54}}}"));
    }

    @Test
    void aMessageWithoutAVersionIsMalformed() {
        assertEquals(-1, version("{\"type\":\"message\",\"room\":\"game-x\",\"data\":{\"kind\":\"other\"}}"));
    }
}
