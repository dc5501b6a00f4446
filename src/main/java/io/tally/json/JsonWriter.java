package io.tally.json;

import java.util.Collection;
import java.util.Map;

/**
 * Writes JSON text. Fluent for hand-built frames ({@code object().field("type","ack")...}) and
 * generic for values read by {@link Json} or built from maps and lists. Strings are escaped so the
 * output is also safe to embed in HTML script data (no raw {@code <}, {@code >}, {@code &}).
 */
public final class JsonWriter {
    private final StringBuilder out;
    private boolean needComma;

    public JsonWriter() {
        this(new StringBuilder(128));
    }

    public JsonWriter(StringBuilder out) {
        this.out = out;
    }

    public static String write(Object value) {
        JsonWriter w = new JsonWriter();
        w.value(value);
        return w.toString();
    }

    public JsonWriter beginObject() {
        comma();
        out.append('{');
        needComma = false;
        return this;
    }

    public JsonWriter endObject() {
        out.append('}');
        needComma = true;
        return this;
    }

    public JsonWriter beginArray() {
        comma();
        out.append('[');
        needComma = false;
        return this;
    }

    public JsonWriter endArray() {
        out.append(']');
        needComma = true;
        return this;
    }

    public JsonWriter name(String name) {
        comma();
        quote(name);
        out.append(':');
        needComma = false;
        return this;
    }

    public JsonWriter field(String name, Object value) {
        return name(name).value(value);
    }

    /** Appends already-encoded JSON text as a value (e.g. a payload encoded once for many viewers). */
    public JsonWriter raw(String json) {
        comma();
        out.append(json);
        needComma = true;
        return this;
    }

    public JsonWriter rawField(String name, String json) {
        return name(name).raw(json);
    }

    @SuppressWarnings("unchecked")
    public JsonWriter value(Object v) {
        if (v == null) {
            comma();
            out.append("null");
        } else if (v instanceof String s) {
            comma();
            quote(s);
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long
                || v instanceof Short || v instanceof Byte) {
            comma();
            out.append(v);
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) throw new IllegalArgumentException("not a JSON number: " + d);
            comma();
            out.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d));
        } else if (v instanceof Map<?, ?> m) {
            beginObject();
            for (Map.Entry<?, ?> e : m.entrySet()) field(String.valueOf(e.getKey()), e.getValue());
            endObject();
        } else if (v instanceof Collection<?> c) {
            beginArray();
            for (Object o : c) value(o);
            endArray();
        } else if (v instanceof JsonValue j) {
            j.writeTo(this);
            needComma = true;
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
        needComma = true;
        return this;
    }

    private void comma() {
        if (needComma) out.append(',');
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '<': out.append("\\u003c"); break;
                case '>': out.append("\\u003e"); break;
                case '&': out.append("\\u0026"); break;
                case '\u2028': out.append("\\u2028"); break;
                case '\u2029': out.append("\\u2029"); break;
                default:
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
