package io.tally.scoreboard.api;

import io.tally.json.JsonWriter;
import io.tally.scoreboard.store.GameStore;
import io.tally.scoreboard.store.StoreHealth;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Readiness ({@code /readyz}, also {@code /api/status}): the store and the real-time core, connections
 * by transport, version and instance id. 200 when both the store and the broker answer, 503 otherwise
 * (unlike {@code /healthz}, this touches Redis; point the load balancer's health check at /healthz).
 * Public, so it says how Redis is reached (mode, TLS) and whether it answers, never where.
 */
public final class StatusReport extends HttpServlet {
    private final GameStore store;
    private final boolean tls;
    private final Supplier<RealtimeReport> realtime;
    private final String version;
    private final String instance;

    public StatusReport(
            GameStore store, boolean tls, Supplier<RealtimeReport> realtime, String version, String instance) {
        this.store = store;
        this.tls = tls;
        this.realtime = realtime;
        this.version = version;
        this.instance = instance;
    }

    public String instance() {
        return instance;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        send(resp);
    }

    void send(HttpServletResponse resp) throws IOException {
        StoreHealth s = store.health();
        RealtimeReport r = realtime.get();
        boolean ready = s.available() && r.ready();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "degraded");
        body.put("version", version);
        body.put("instance", instance);
        Map<String, Object> storeJson = new LinkedHashMap<>();
        storeJson.put("available", s.available());
        storeJson.put("mode", s.mode());
        storeJson.put("tls", tls);
        body.put("store", storeJson);
        body.put("realtime", r.details());
        resp.setStatus(ready ? 200 : 503);
        if (!ready) resp.setHeader("Retry-After", "5");
        Responses.write(resp, "application/json", JsonWriter.write(body));
    }
}
