package io.tally.realtime.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tally.realtime.Position;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private final FrameDecoder decoder = new FrameDecoder(8);

    @Test
    void decodesEveryClientFrame() {
        assertEquals(new ClientFrame.Hello(1), decoder.decode("{\"type\":\"hello\",\"v\":1}"));
        assertEquals(
                new ClientFrame.Subscribe(3, "game-1", null),
                decoder.decode("{\"type\":\"subscribe\",\"id\":3,\"room\":\"game-1\"}"));
        assertEquals(
                new ClientFrame.Subscribe(4, "g", new Position("e", "1-0")),
                decoder.decode(
                        "{\"type\":\"subscribe\",\"id\":4,\"room\":\"g\",\"since\":{\"epoch\":\"e\",\"offset\":\"1-0\"}}"));
        assertEquals(
                new ClientFrame.Unsubscribe(5, "g"),
                decoder.decode("{\"type\":\"unsubscribe\",\"id\":5,\"room\":\"g\"}"));
        assertEquals(new ClientFrame.Ping(null), decoder.decode("{\"type\":\"ping\"}"));
        assertEquals(new ClientFrame.Ping(9L), decoder.decode("{\"type\":\"ping\",\"id\":9}"));
        assertEquals(new ClientFrame.Pong(), decoder.decode("{\"type\":\"pong\"}"));
    }

    @Test
    void namesWhatIsWrongWithABadFrame() {
        assertCode("", ErrorCode.BAD_JSON);
        assertCode("null", ErrorCode.BAD_JSON);
        assertCode("{}", ErrorCode.BAD_FRAME);
        assertCode("{\"type\":1}", ErrorCode.BAD_FRAME);
        assertCode("{\"type\":\"subscribe\",\"id\":0,\"room\":\"g\"}", ErrorCode.BAD_FRAME);
        assertCode("{\"type\":\"subscribe\",\"id\":1.5,\"room\":\"g\"}", ErrorCode.BAD_FRAME);
        assertCode("{\"type\":\"subscribe\",\"id\":1,\"room\":\"\"}", ErrorCode.BAD_ROOM);
        assertCode("{\"type\":\"subscribe\",\"id\":1,\"room\":\"g\",\"since\":\"x\"}", ErrorCode.BAD_POSITION);
        assertCode("{\"type\":\"hello\",\"v\":2}", ErrorCode.BAD_VERSION);
        assertCode("{\"type\":\"x\",\"id\":3}", ErrorCode.BAD_FRAME);
    }

    @Test
    void decodesPollBodiesWithTheirLimits() {
        PollRequest r = decoder.decodePoll(
                "{\"v\":1,\"hello\":true,\"rooms\":{\"a\":null,\"b\":{\"epoch\":\"e\",\"offset\":\"2\"}}}", 5);
        assertEquals(true, r.hello());
        java.util.Map<String, Position> expected = new java.util.LinkedHashMap<>();
        expected.put("a", null);
        expected.put("b", new Position("e", "2"));
        assertEquals(expected, r.rooms());
        assertEquals(Map.of(), decoder.decodePoll("{}", 5).rooms());
        ProtocolException e = assertThrows(
                ProtocolException.class, () -> decoder.decodePoll("{\"rooms\":{\"a\":null,\"b\":null}}", 1));
        assertEquals(ErrorCode.TOO_MANY_ROOMS, e.code());
    }

    private void assertCode(String frame, ErrorCode code) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> decoder.decode(frame), frame);
        assertEquals(code, e.code(), frame);
    }
}
