package io.tally.json;

import static io.tally.testing.FuzzChecks.assertSafeMessage;
import static io.tally.testing.FuzzChecks.sameJson;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the JSON reader every client byte goes through. In the normal test run
 * the seed inputs (and every crash found so far) under {@code JsonFuzzTestInputs/} are replayed;
 * {@code JAZZER_FUZZ=1} fuzzes for real (see docs/OPERATIONS.md, "Fuzzing").
 */
class JsonFuzzTest {
    private static final int DEPTH = 16;

    @FuzzTest(maxDuration = "2m")
    void anyTextIsParsedOrRefusedWithAJsonExceptionAndWhatIsAcceptedRoundTrips(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Object value;
        try {
            value = Json.parse(text, DEPTH);
        } catch (JsonException refused) {
            assertSafeMessage(refused.getMessage());
            return;
        }
        String written = JsonWriter.write(value);
        Object again = Json.parse(written, DEPTH);
        if (!sameJson(value, again)) throw new AssertionError("round trip changed the value: " + written);
    }
}
