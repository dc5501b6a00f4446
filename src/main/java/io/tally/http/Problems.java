package io.tally.http;

import io.tally.json.JsonWriter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one writer of {@code application/problem+json} (RFC 9457) answers, for the live transports,
 * the API, the doctor and the container's error pages alike. {@code type} is always
 * {@code about:blank}: the stable {@code code} member says which problem it is.
 */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";
    public static final String TYPE = "about:blank";

    private Problems() {}

    /** A problem with our {@code code} and a human {@code detail}. */
    public static String body(int status, String code, String detail) {
        return body(status, code, detail, Map.of());
    }

    /** A problem with our {@code code}, a human {@code detail} and further members. */
    public static String body(int status, String code, String detail, Map<String, Object> extra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", TYPE);
        m.put("title", title(status));
        m.put("status", status);
        m.put("code", code);
        m.put("detail", detail);
        m.putAll(extra);
        return JsonWriter.write(m);
    }

    /** Only the standard members: for answers the container makes, which have no code of ours. */
    public static String body(int status) {
        return new JsonWriter()
                .beginObject()
                .field("type", TYPE)
                .field("title", title(status))
                .field("status", status)
                .endObject()
                .toString();
    }

    public static void send(HttpServletResponse response, int status, String code, String detail, int retryAfterSeconds)
            throws IOException {
        response.setStatus(status);
        response.setContentType(CONTENT_TYPE);
        response.setCharacterEncoding("UTF-8");
        if (retryAfterSeconds > 0) response.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
        response.getWriter().write(body(status, code, detail));
    }

    /** The standard reason phrase of a status. */
    public static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
