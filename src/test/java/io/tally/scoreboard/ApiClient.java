package io.tally.scoreboard;

import io.tally.json.Json;
import io.tally.json.JsonWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A scorer's or viewer's HTTP calls to one Tally server, for tests: real HTTP, no client library. */
final class ApiClient {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    ApiClient(String base) {
        this.base = base;
    }

    record Response(int status, HttpHeaders headers, String body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return Json.parseObject(body, 32);
        }

        String header(String name) {
            return headers.first(name);
        }

        String code() {
            return (String) json().get("code");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> game() {
            return (Map<String, Object>) json().get("game");
        }
    }

    record HttpHeaders(java.net.http.HttpHeaders raw) {
        String first(String name) {
            return raw.firstValue(name).orElse(null);
        }
    }

    Response get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
    }

    Response post(String path, Object body, String... headers) {
        String text = body instanceof String s ? s : JsonWriter.write(body);
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(text));
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) typed |= headers[i].equalsIgnoreCase("Content-Type");
        if (!typed) b.header("Content-Type", "application/json");
        return send(b, headers);
    }

    Response send(HttpRequest.Builder b, String... headers) {
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        try {
            HttpResponse<String> r =
                    http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), new HttpHeaders(r.headers()), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String[] auth(String token, String... more) {
        String[] out = new String[more.length + 2];
        out[0] = "Authorization";
        out[1] = "Bearer " + token;
        System.arraycopy(more, 0, out, 2, more.length);
        return out;
    }

    static Map<String, Object> score(String team, long points) {
        return Map.of("type", "score", "team", team, "points", points);
    }

    static List<String> list(String... s) {
        return List.of(s);
    }
}
