package io.tally.scoreboard.api;

import io.tally.json.JsonWriter;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem: {@code application/problem+json} with type, title, status, detail, and our
 * stable {@code code}. {@code detail} is written for the person at the scorer console.
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
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "https://tally.invalid/problems/" + code);
        m.put("title", title(status));
        m.put("status", status);
        m.put("detail", getMessage());
        m.put("code", code);
        m.putAll(extra);
        return JsonWriter.write(m);
    }

    public void send(HttpServletResponse resp) throws IOException {
        resp.setStatus(status);
        headers.forEach(resp::setHeader);
        Responses.write(resp, "application/problem+json", body());
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
