package io.tally.json;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    @Test
    void readsEveryKindOfValue() {
        Object v = Json.parse(" {\"s\":\"a\\\"b\\u00e9\\n\",\"i\":-12,\"d\":1.5e2,\"t\":true,\"f\":false,\"n\":null,\"a\":[1,[2]],\"o\":{}} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals("a\"bé\n", m.get("s"));
        assertEquals(-12L, m.get("i"));
        assertEquals(150.0, m.get("d"));
        assertEquals(true, m.get("t"));
        assertEquals(false, m.get("f"));
        assertTrue(m.containsKey("n"));
        assertNull(m.get("n"));
        assertEquals(List.of(1L, List.of(2L)), m.get("a"));
        assertEquals(Map.of(), m.get("o"));
        assertEquals(0.25, Json.parse("0.25"));
    }

    @Test
    void rejectsMalformedInputWithAPosition() {
        for (String bad : new String[]{"", "{", "{\"a\"}", "{\"a\":}", "[1,]", "01", "1.", "-", "\"\\x\"", "\"abc",
                "tru", "{\"a\":1}x", "\"\u0001\"", "1e999", "{'a':1}", "[1 2]", "\"\\u12G4\""}) {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().contains("at character"), e.getMessage());
        }
    }

    @Test
    void acceptsOnlyWellFormedUnicodeStrings() {
        assertEquals("\uD83D\uDE00", Json.parse("\"\\ud83d\\ude00\""), "an escaped pair");
        assertEquals("\uD83D\uDE00", Json.parse("\"\uD83D\uDE00\""), "a raw pair");
        for (String bad : new String[]{"\"\\ud800\"", "\"\\udc00\"", "\"\\ud800x\"", "\"\\ud800\\u0041\"", "\"\uD800\"", "\"\uDC00\uD800\""}) {
            assertThrows(JsonException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    void boundsNestingDepth() {
        String deep = "[".repeat(5) + "]".repeat(5);
        assertEquals(1, ((List<?>) Json.parse(deep, 5)).size());
        assertThrows(JsonException.class, () -> Json.parse(deep, 4));
        String hostile = "[".repeat(100_000);
        assertThrows(JsonException.class, () -> Json.parse(hostile));
    }

    @Test
    void writesEscapedTextSafeToEmbedInHtml() {
        String out = JsonWriter.write(Map.of("name", "<img src=x onerror=alert(1)>&\"\\\n\u0001\u2028"));
        assertEquals("{\"name\":\"\\u003cimg src=x onerror=alert(1)\\u003e\\u0026\\\"\\\\\\n\\u0001\\u2028\"}", out);
        assertEquals(Map.of("name", "<img src=x onerror=alert(1)>&\"\\\n\u0001\u2028"), Json.parse(out));
    }

    @Test
    void roundTripsNumbersListsAndRawValues() {
        String out = new JsonWriter().beginObject().field("a", List.of(1, 2.5, "x")).rawField("p", "{\"q\":1}")
                .field("b", null).endObject().toString();
        assertEquals("{\"a\":[1,2.5,\"x\"],\"p\":{\"q\":1},\"b\":null}", out);
    }
}
