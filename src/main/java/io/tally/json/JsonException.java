package io.tally.json;

/** Malformed or over-limit JSON, with the character position where reading stopped. */
public final class JsonException extends RuntimeException {
    private final int position;

    public JsonException(String message, int position) {
        super(message + " at character " + position);
        this.position = position;
    }

    public int position() {
        return position;
    }
}
