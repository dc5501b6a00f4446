package io.tally.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader (RFC 8259, I-JSON strings) over jackson-core's streaming parser. Objects
 * become {@code Map<String,Object>} (insertion ordered), arrays unmodifiable {@code List<Object>},
 * numbers {@code Long} or {@code Double}, JSON null Java {@code null}. Nesting depth is bounded,
 * duplicate keys are refused, and every failure is a {@link JsonException} with a position and a
 * short message that is safe to echo to the client, never another exception.
 */
public final class Json {
    public static final int DEFAULT_MAX_DEPTH = 32;

    /** A refusal's text goes back to the client inside an error frame or problem body. */
    private static final int MAX_MESSAGE_LENGTH = 160;

    // Nesting is bounded by the caller's depth in value(); the factory's limit is only a backstop.
    // Keys are not interned or pooled: they are the client's, and a shared pool is shared state.
    // Buffers come from a pool per factory, not a ThreadLocal left on the container's threads.
    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(1000).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private final JsonParser parser;
    private final int maxDepth;

    private Json(JsonParser parser, int maxDepth) {
        this.parser = parser;
        this.maxDepth = maxDepth;
    }

    public static Object parse(String text) {
        return parse(text, DEFAULT_MAX_DEPTH);
    }

    public static Object parse(String text, int maxDepth) {
        if (text == null) throw new JsonException("no input", 0);
        try (JsonParser p = FACTORY.createParser(text)) {
            Json reader = new Json(p, maxDepth);
            if (p.nextToken() == null) throw reader.error("unexpected end of input");
            Object value = reader.value(0);
            if (p.nextToken() != null) throw reader.error("unexpected text after the value");
            return value;
        } catch (JsonProcessingException e) {
            throw refusal(e);
        } catch (IOException e) {
            throw new JsonException("unreadable input", 0); // a String source cannot fail to read
        }
    }

    /** Parses and requires an object at the top level. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text, int maxDepth) {
        Object v = parse(text, maxDepth);
        if (!(v instanceof Map)) throw new JsonException("expected a JSON object", 0);
        return (Map<String, Object>) v;
    }

    /** The value whose first token is the current one. */
    private Object value(int depth) throws IOException {
        JsonToken t = parser.currentToken();
        switch (t) {
            case START_OBJECT:
                return object(depth + 1);
            case START_ARRAY:
                return array(depth + 1);
            case VALUE_STRING:
                return string(parser.getText());
            case VALUE_NUMBER_INT:
                return integer();
            case VALUE_NUMBER_FLOAT:
                return finite(parser.getDoubleValue());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw error("unexpected " + t);
        }
    }

    private Map<String, Object> object(int depth) throws IOException {
        if (depth > maxDepth) throw error("nesting deeper than " + maxDepth);
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = string(parser.currentName());
            parser.nextToken();
            map.put(key, value(depth));
        }
        return map;
    }

    private List<Object> array(int depth) throws IOException {
        if (depth > maxDepth) throw error("nesting deeper than " + maxDepth);
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) list.add(value(depth));
        return Collections.unmodifiableList(list);
    }

    /**
     * Strings must be well-formed Unicode (I-JSON, RFC 7493): a lone surrogate, raw or escaped,
     * could not be encoded back into UTF-8 — a WebSocket frame carrying it fails to send, for every
     * viewer of a room. The parser reads chars, so this check is ours.
     */
    private String string(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) continue;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else {
                throw error("unpaired surrogate in string (not well-formed Unicode)");
            }
        }
        return s;
    }

    private Object integer() throws IOException {
        JsonParser.NumberType type = parser.getNumberType();
        if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) return parser.getLongValue();
        return finite(parser.getDoubleValue()); // beyond a long: the nearest double, as JavaScript reads it
    }

    private Double finite(double d) {
        if (Double.isInfinite(d)) throw error("number out of range");
        return d;
    }

    private JsonException error(String message) {
        return new JsonException(
                message, (int) Math.max(0, parser.currentTokenLocation().getCharOffset()));
    }

    private static JsonException refusal(JsonProcessingException e) {
        long at = e.getLocation() == null ? 0 : e.getLocation().getCharOffset();
        return new JsonException(safe(e.getOriginalMessage()), (int) Math.max(0, at));
    }

    /**
     * The parser's message, cut short and with control and surrogate chars escaped: it may quote the
     * offending input, which is the client's and may itself be a lone surrogate.
     */
    private static String safe(String message) {
        String m = message == null ? "malformed JSON" : message;
        int nl = m.indexOf('\n');
        if (nl >= 0) m = m.substring(0, nl);
        StringBuilder out = new StringBuilder(Math.min(m.length(), MAX_MESSAGE_LENGTH) + 8);
        for (int i = 0; i < m.length() && out.length() < MAX_MESSAGE_LENGTH; i++) {
            char c = m.charAt(i);
            if (c < 0x20 || c > 0x7e) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        if (out.length() >= MAX_MESSAGE_LENGTH) out.append('…');
        return out.toString();
    }
}
