package io.tally.scoreboard.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writing JSON answers: UTF-8, never cached (scores change every second) unless said otherwise. */
final class Responses {
    private Responses() {}

    static void write(HttpServletResponse resp, String contentType, String body) throws IOException {
        write(resp, contentType, body, "no-store");
    }

    static void write(HttpServletResponse resp, String contentType, String body, String cacheControl)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        resp.setContentType(contentType + ";charset=UTF-8");
        resp.setHeader("Cache-Control", cacheControl);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
