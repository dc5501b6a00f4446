package io.tally.scoreboard.store;

/**
 * A remembered write response. {@code fingerprint} identifies the request (method, path, body) so a
 * key reused for a different request is refused; {@code status} 0 means the first request is still
 * being processed.
 */
public record StoredResponse(String fingerprint, int status, String location, String body) {
    public static StoredResponse pending(String fingerprint) {
        return new StoredResponse(fingerprint, 0, "", "");
    }

    public boolean isPending() {
        return status == 0;
    }

    /** One string for Redis: three header lines, then the body. */
    String encode() {
        return fingerprint + "\n" + status + "\n" + location + "\n" + body;
    }

    static StoredResponse decode(String s) {
        String[] parts = s.split("\n", 4);
        if (parts.length < 4) throw new IllegalArgumentException("malformed stored response");
        return new StoredResponse(parts[0], Integer.parseInt(parts[1]), parts[2], parts[3]);
    }
}
