package io.tally.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader (RFC 8259). Objects become {@code Map<String,Object>} (insertion
 * ordered), arrays {@code List<Object>}, numbers {@code Long} or {@code Double}, and JSON null
 * {@link #NULL}-free Java {@code null}. Nesting depth is bounded so hostile input cannot exhaust the
 * stack; every failure is a {@link JsonException} with a position, never another exception.
 */
public final class Json {
    public static final int DEFAULT_MAX_DEPTH = 32;

    private final String text;
    private final int maxDepth;
    private int pos;

    private Json(String text, int maxDepth) {
        this.text = text;
        this.maxDepth = maxDepth;
    }

    public static Object parse(String text) {
        return parse(text, DEFAULT_MAX_DEPTH);
    }

    public static Object parse(String text, int maxDepth) {
        if (text == null) throw new JsonException("no input", 0);
        Json p = new Json(text, maxDepth);
        p.skipSpace();
        Object value = p.value(0);
        p.skipSpace();
        if (p.pos != text.length()) throw p.error("unexpected text after the value");
        return value;
    }

    /** Parses and requires an object at the top level. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text, int maxDepth) {
        Object v = parse(text, maxDepth);
        if (!(v instanceof Map)) throw new JsonException("expected a JSON object", 0);
        return (Map<String, Object>) v;
    }

    private Object value(int depth) {
        if (pos >= text.length()) throw error("unexpected end of input");
        char c = text.charAt(pos);
        switch (c) {
            case '{': return object(depth + 1);
            case '[': return array(depth + 1);
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw error("unexpected character '" + printable(c) + "'");
        }
    }

    private Map<String, Object> object(int depth) {
        if (depth > maxDepth) throw error("nesting deeper than " + maxDepth);
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') { pos++; return map; }
        while (true) {
            skipSpace();
            if (peek() != '"') throw error("expected a string key");
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            map.put(key, value(depth));
            skipSpace();
            char c = next();
            if (c == '}') return map;
            if (c != ',') { pos--; throw error("expected ',' or '}'"); }
        }
    }

    private List<Object> array(int depth) {
        if (depth > maxDepth) throw error("nesting deeper than " + maxDepth);
        pos++;
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (peek() == ']') { pos++; return Collections.unmodifiableList(list); }
        while (true) {
            skipSpace();
            list.add(value(depth));
            skipSpace();
            char c = next();
            if (c == ']') return Collections.unmodifiableList(list);
            if (c != ',') { pos--; throw error("expected ',' or ']'"); }
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos >= text.length()) throw error("unterminated string");
            char c = text.charAt(pos);
            if (c == '"') {
                String s = sb == null ? text.substring(start, pos) : sb.append(text, start, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) throw error("control character in string");
            if (Character.isSurrogate(c)) {
                checkPair(c, pos + 1 < text.length() ? text.charAt(pos + 1) : '\0');
                pos += 2;
                continue;
            }
            if (c == '\\') {
                if (sb == null) sb = new StringBuilder();
                sb.append(text, start, pos);
                pos++;
                if (pos >= text.length()) throw error("unterminated escape");
                char e = text.charAt(pos++);
                switch (e) {
                    case '"': sb.append('"'); break;
                    case '\\': sb.append('\\'); break;
                    case '/': sb.append('/'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'u': {
                        char u = unicodeEscape();
                        if (Character.isSurrogate(u)) {
                            char low = text.startsWith("\\u", pos) ? peekUnicodeEscape(pos + 2) : '\0';
                            checkPair(u, low);
                            pos += 6;
                            sb.append(u).append(low);
                        } else {
                            sb.append(u);
                        }
                        break;
                    }
                    default: pos--; throw error("bad escape '\\" + printable(e) + "'");
                }
                start = pos;
            } else {
                pos++;
            }
        }
    }

    private char unicodeEscape() {
        if (pos + 4 > text.length()) throw error("short \\u escape");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) throw error("bad \\u escape");
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    /**
     * Strings must be well-formed Unicode (I-JSON, RFC 7493): a lone surrogate, raw or escaped,
     * could not be encoded back into UTF-8 — a WebSocket frame carrying it fails to send, for every
     * viewer of a room. Fails unless {@code high} is a high surrogate followed by the low {@code next}.
     */
    private void checkPair(char high, char next) {
        if (!Character.isHighSurrogate(high) || !Character.isLowSurrogate(next)) {
            throw error("unpaired surrogate in string (not well-formed Unicode)");
        }
    }

    /** The value of the {@code \\uXXXX} escape whose hex digits start at {@code at}, or '\0' if there is none. */
    private char peekUnicodeEscape(int at) {
        if (at + 4 > text.length()) return '\0';
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(at + i), 16);
            if (d < 0) return '\0';
            v = v * 16 + d;
        }
        return (char) v;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw error("bad number");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) throw error("bad number");
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw error("bad number");
            while (isDigit(peek())) pos++;
        }
        String s = text.substring(start, pos);
        if (integral && s.length() <= 18) return Long.parseLong(s);
        double d = Double.parseDouble(s);
        if (Double.isInfinite(d)) throw error("number out of range");
        if (integral && d == Math.rint(d) && Math.abs(d) < 9.2e18) return (long) d;
        return d;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) throw error("unexpected word");
        pos += word.length();
        return value;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
            else return;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next() {
        if (pos >= text.length()) throw error("unexpected end of input");
        return text.charAt(pos++);
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private JsonException error(String message) {
        return new JsonException(message, pos);
    }
}
