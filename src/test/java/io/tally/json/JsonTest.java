package io.tally.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsEveryKindOfValue() {
        Object v = Json.parse(
                " {\"s\":\"a\\\"b\\u00e9\\n\",\"i\":-12,\"d\":1.5e2,\"t\":true,\"f\":false,\"n\":null,\"a\":[1,[2]],\"o\":{}} ");
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
        for (String bad : new String[] {
            "",
            "{",
            "{\"a\"}",
            "{\"a\":}",
            "[1,]",
            "01",
            "1.",
            "-",
            "\"\\x\"",
            "\"abc",
            "tru",
            "{\"a\":1}x",
            "\"\u0001\"",
            "1e999",
            "{'a':1}",
            "[1 2]",
            "\"\\u12G4\""
        }) {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().contains("at character") && e.position() >= 0, e.getMessage());
        }
    }

    @Test
    void acceptsOnlyWellFormedUnicodeStrings() {
        assertEquals("\uD83D\uDE00", Json.parse("\"\\ud83d\\ude00\""), "an escaped pair");
        assertEquals("\uD83D\uDE00", Json.parse("\"\uD83D\uDE00\""), "a raw pair");
        for (String bad : new String[] {
            "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800x\"", "\"\\ud800\\u0041\"", "\"\uD800\"", "\"\uDC00\uD800\""
        }) {
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
        String out = new JsonWriter()
                .beginObject()
                .field("a", List.of(1, 2.5, "x"))
                .rawField("p", "{\"q\":1}")
                .field("b", null)
                .endObject()
                .toString();
        assertEquals("{\"a\":[1,2.5,\"x\"],\"p\":{\"q\":1},\"b\":null}", out);
    }

    @Test
    void refusesDuplicateKeysAtAnyDepth() {
        for (String dup : new String[] {
            "{\"a\":1,\"a\":2}",
            "{\"a\":null,\"a\":null}",
            "{\"o\":{\"k\":1,\"k\":1}}",
            "[{\"x\":1},{\"y\":1,\"y\":2}]",
            "{\"\\u0061\":1,\"a\":2}"
        }) {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse(dup), dup);
            assertTrue(e.getMessage().toLowerCase().contains("duplicate"), e.getMessage());
        }
        assertEquals(
                Map.of("a", 1L, "b", Map.of("a", 2L)),
                Json.parse("{\"a\":1,\"b\":{\"a\":2}}"),
                "same key, different objects");
    }

    @Test
    void refusesLoneSurrogatesInKeysAsInValues() {
        for (String bad :
                new String[] {"{\"\\ud800\":1}", "{\"\uDC00\":1}", "{\"k\\udbff\":1}", "[\"ok\",\"\\udfff\"]"}) {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
        }
        assertEquals(Map.of("\uD83D\uDE00", 1L), Json.parse("{\"\\ud83d\\ude00\":1}"));
    }

    @Test
    void refusalsAreShortAndQuoteNoLoneSurrogate() {
        String longWord = "t" + "x".repeat(10_000);
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(longWord));
        assertTrue(e.getMessage().length() < 300, e.getMessage());
        JsonException s = assertThrows(JsonException.class, () -> Json.parse("[1\uD800]"));
        assertTrue(s.getMessage().chars().noneMatch(c -> Character.isSurrogate((char) c)), s.getMessage());
    }

    @Test
    void readsNumbersAsLongWhenWholeAndInRange() {
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(9.223372036854775808e18, Json.parse("9223372036854775808"));
        assertEquals(100.0, Json.parse("1e2"));
        assertEquals(-0.0, Json.parse("-0.0"));
        assertThrows(JsonException.class, () -> Json.parse("1" + "0".repeat(400)));
        assertThrows(JsonException.class, () -> Json.parse("1".repeat(5_000)), "beyond the number length limit");
    }

    @Test
    void writesControlCharactersAndSeparatorsAsEscapes() {
        assertEquals(
                "\"\\u0000\\u0008\\u000c\\u001f\\t\\u2029/é\uD83D\uDE00\"",
                JsonWriter.write("\u0000\b\f\u001f\t\u2029/é\uD83D\uDE00"));
        assertEquals("[2,2.5,1.0E15,-3,true]", JsonWriter.write(List.of(2.0, 2.5f, 1e15, (short) -3, true)));
    }

    @Test
    void aWriterEndsWithItsText() {
        JsonWriter w = new JsonWriter().beginArray().value(1).endArray();
        assertEquals("[1]", w.toString());
        assertEquals("[1]", w.toString());
        assertThrows(IllegalStateException.class, () -> w.value(2));
        StringBuilder into = new StringBuilder("x=");
        assertEquals("x={}", new JsonWriter(into).beginObject().endObject().toString());
    }
}
