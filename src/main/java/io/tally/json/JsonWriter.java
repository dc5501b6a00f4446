package io.tally.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Collection;
import java.util.Map;

/**
 * Writes JSON text through jackson-core's generator. Fluent for hand-built frames
 * ({@code beginObject().field("type","ack")...}) and generic for values read by {@link Json} or
 * built from maps and lists. Strings are escaped so the output is also safe to embed in HTML script
 * data (no raw {@code <}, {@code >}, {@code &}, U+2028 or U+2029).
 */
public final class JsonWriter {
    // A pool per factory rather than Jackson's thread-local default: no ThreadLocal left on the
    // container's threads when the application is undeployed.
    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .characterEscapes(new HtmlSafeEscapes())
            .rootValueSeparator((String) null)
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
            .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
            .build();

    private final StringBuilder out;
    private final JsonGenerator gen;

    public JsonWriter() {
        this(new StringBuilder(128));
    }

    public JsonWriter(StringBuilder out) {
        this.out = out;
        try {
            this.gen = FACTORY.createGenerator(new Appender(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // appending to a StringBuilder cannot fail
        }
    }

    public static String write(Object value) {
        JsonWriter w = new JsonWriter();
        w.value(value);
        return w.toString();
    }

    public JsonWriter beginObject() {
        return call(JsonGenerator::writeStartObject);
    }

    public JsonWriter endObject() {
        return call(JsonGenerator::writeEndObject);
    }

    public JsonWriter beginArray() {
        return call(JsonGenerator::writeStartArray);
    }

    public JsonWriter endArray() {
        return call(JsonGenerator::writeEndArray);
    }

    public JsonWriter name(String name) {
        return call(g -> g.writeFieldName(name));
    }

    public JsonWriter field(String name, Object value) {
        return name(name).value(value);
    }

    /** Appends already-encoded JSON text as a value (e.g. a payload encoded once for many viewers). */
    public JsonWriter raw(String json) {
        return call(g -> g.writeRawValue(json));
    }

    public JsonWriter rawField(String name, String json) {
        return name(name).raw(json);
    }

    public JsonWriter value(Object v) {
        if (v == null) {
            call(JsonGenerator::writeNull);
        } else if (v instanceof String s) {
            call(g -> g.writeString(s));
        } else if (v instanceof Boolean b) {
            call(g -> g.writeBoolean(b));
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            long n = ((Number) v).longValue();
            call(g -> g.writeNumber(n));
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) throw new IllegalArgumentException("not a JSON number: " + d);
            // Whole numbers print without ".0", the way JavaScript prints them.
            String text = d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
            call(g -> g.writeNumber(text));
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
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
        return this;
    }

    /** The text written; ends the writing (the generator hands its buffers back). */
    @Override
    public String toString() {
        try {
            gen.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private JsonWriter call(Step step) {
        if (gen.isClosed()) throw new IllegalStateException("the JSON was already taken with toString()");
        try {
            step.apply(gen);
        } catch (IOException e) {
            // Out-of-place calls (a value where a name is due) are programming errors.
            throw new IllegalStateException(e.getMessage(), e);
        }
        return this;
    }

    private interface Step {
        void apply(JsonGenerator g) throws IOException;
    }

    /** The generator's sink: the caller's builder, so a frame can be sized once up front. */
    private static final class Appender extends Writer {
        private final StringBuilder out;

        Appender(StringBuilder out) {
            this.out = out;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            out.append(buf, off, len);
        }

        @Override
        public void write(String s, int off, int len) {
            out.append(s, off, off + len);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /**
     * JSON's own escapes plus the characters that end a script element or an HTML attribute, and the
     * two line separators JavaScript before ES2019 does not accept in a string literal; control
     * characters other than \n, \r and \t as {@code \\u00xx}.
     */
    private static final class HtmlSafeEscapes extends CharacterEscapes {
        private static final int[] ASCII = standardAsciiEscapesForJSON();
        private static final SerializableString LS = new SerializedString("\\u2028");
        private static final SerializableString PS = new SerializedString("\\u2029");
        private static final SerializableString[] CUSTOM = new SerializableString[128];

        static {
            for (int c = 0; c < 0x20; c++) if (c != '\n' && c != '\r' && c != '\t') ASCII[c] = ESCAPE_CUSTOM;
            for (char c : new char[] {'<', '>', '&'}) ASCII[c] = ESCAPE_CUSTOM;
            for (int c = 0; c < 128; c++) {
                if (ASCII[c] == ESCAPE_CUSTOM) CUSTOM[c] = new SerializedString(String.format("\\u%04x", c));
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch < 128) return CUSTOM[ch];
            if (ch == '\u2028') return LS;
            if (ch == '\u2029') return PS;
            return null;
        }
    }
}
