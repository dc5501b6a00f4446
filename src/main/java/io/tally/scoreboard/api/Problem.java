package io.tally.scoreboard.api;

import io.tally.http.Problems;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An API error as an RFC 9457 problem ({@link Problems}): status, our stable {@code code}, and a
 * {@code detail} written for the person at the scorer console.
 */
public final class Problem extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public Problem(int status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
    }

    public Problem with(String field, Object value) {
        extra.put(field, value);
        return this;
    }

    public Problem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String body() {
        return Problems.body(status, code, getMessage(), extra);
    }

    public void send(HttpServletResponse resp) throws IOException {
        resp.setStatus(status);
        headers.forEach(resp::setHeader);
        Responses.write(resp, Problems.CONTENT_TYPE, body());
    }
}
