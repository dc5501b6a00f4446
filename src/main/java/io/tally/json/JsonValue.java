package io.tally.json;

/** A type that knows how to write itself as one JSON value. */
public interface JsonValue {
    void writeTo(JsonWriter out);
}
