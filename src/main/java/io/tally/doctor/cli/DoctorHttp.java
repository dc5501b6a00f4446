package io.tally.doctor.cli;

import io.tally.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The doctor's HTTP side: JSON GETs and requests against the deployment, failures as values. */
final class DoctorHttp {
    private final HttpClient http;
    private final URI base;
    private final Duration timeout;

    DoctorHttp(HttpClient http, URI base, Duration timeout) {
        this.http = http;
        this.base = base;
        this.timeout = timeout;
    }

    HttpClient client() {
        return http;
    }

    /** An answer: its status and JSON body (null when it was not JSON), or why there was none. */
    record Response(int status, Map<String, Object> body, String error) {
        String problem() {
            if (error != null) return error;
            Object detail = body == null ? null : body.get("detail");
            return "HTTP " + status + (detail == null ? "" : " — " + detail);
        }
    }

    Response getJson(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .GET()
                .build());
    }

    Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            Map<String, Object> body = null;
            try {
                body = Json.parseObject(r.body(), 32);
            } catch (RuntimeException notJson) {
                // an HTML error page from a proxy, say
            }
            return new Response(r.statusCode(), body, null);
        } catch (java.io.IOException e) {
            return new Response(0, null, Text.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
