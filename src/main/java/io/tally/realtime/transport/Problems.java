package io.tally.realtime.transport;

import io.tally.json.JsonWriter;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** Writes {@code application/problem+json} (RFC 9457) refusals from the transport layer. */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {
    }

    public static String body(int status, String code, String detail) {
        return new JsonWriter().beginObject()
                .field("type", "about:blank")
                .field("title", title(status))
                .field("status", status)
                .field("code", code)
                .field("detail", detail)
                .endObject().toString();
    }

    public static void send(HttpServletResponse response, int status, String code, String detail, int retryAfterSeconds) throws IOException {
        response.setStatus(status);
        response.setContentType(CONTENT_TYPE);
        response.setCharacterEncoding("UTF-8");
        if (retryAfterSeconds > 0) response.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
        response.getWriter().write(body(status, code, detail));
    }

    static String title(int status) {
        switch (status) {
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 409: return "Conflict";
            case 413: return "Content Too Large";
            case 415: return "Unsupported Media Type";
            case 429: return "Too Many Requests";
            case 503: return "Service Unavailable";
            default: return "Error";
        }
    }
}
