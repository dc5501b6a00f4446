package io.tally.realtime.protocol;

import static io.tally.testing.FuzzChecks.assertSafeMessage;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the frame and poll-body decoders: whatever a client sends, the answer
 * is a frame or a {@link ProtocolException} with a code and a short, sendable message — never
 * another exception. Seeds and past crashes live under {@code FrameDecoderFuzzTestInputs/}.
 */
class FrameDecoderFuzzTest {
    private final FrameDecoder decoder = new FrameDecoder(16);

    @FuzzTest(maxDuration = "2m")
    void anyFrameDecodesOrIsRefusedWithACode(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            if (decoder.decode(text) == null) throw new AssertionError("decode returned null");
        } catch (ProtocolException refused) {
            check(refused);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void anyPollBodyDecodesOrIsRefusedWithACode(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            PollRequest request = decoder.decodePoll(text, 5);
            if (request.rooms().size() > 5)
                throw new AssertionError(
                        "room limit not enforced: " + request.rooms().size());
        } catch (ProtocolException refused) {
            check(refused);
        }
    }

    private static void check(ProtocolException e) {
        if (e.code() == null) throw new AssertionError("refusal without a code");
        if (e.requestId() != null && e.requestId() <= 0) throw new AssertionError("non-positive request id echoed");
        assertSafeMessage(e.getMessage());
    }
}
