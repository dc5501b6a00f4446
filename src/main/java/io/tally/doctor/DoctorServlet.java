package io.tally.doctor;

import io.tally.concurrent.DaemonThreads;
import io.tally.json.JsonWriter;
import io.tally.realtime.Position;
import io.tally.realtime.Realtime;
import io.tally.realtime.RealtimeStatus;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * {@code /doctor} (redirects to the page at {@code /doctor/}) and the JSON endpoints behind it:
 * <ul>
 *   <li>{@code GET /doctor/api/config}: timing settings, the proxy idle timeouts they must stay under, verdict;</li>
 *   <li>{@code GET /doctor/api/redis}: broker mode, availability, lag, instances seen recently, verdict;</li>
 *   <li>{@code GET /doctor/api/whoami}: which instance answered, whether a stickiness cookie came with the
 *       request, the scheme and Host as Tomcat saw them;</li>
 *   <li>{@code GET /doctor/api/upgrade-probe}: a nonce for a WebSocket probe; with {@code ?nonce=&epoch=&offset=},
 *       what that probe's handshake carried if it reached Tomcat without being upgraded;</li>
 *   <li>{@code GET /doctor/api/findings}: the fix texts of the checks the clients judge themselves ({@link Findings}).</li>
 * </ul>
 * ({@code /doctor/api/hold} is {@link SilentHoldServlet}.)
 * Owns the presence beat (started in {@link #init()}, stopped in {@link #destroy()}).
 */
final class DoctorServlet extends HttpServlet {
    private static final Logger LOG = Logger.getLogger(DoctorServlet.class.getName());
    private static final long LIVE_BEAT_MAX_AGE_MILLIS = 2_000;

    private final Realtime realtime;
    private final DoctorSettings proxies;
    private final Probes probes;
    private final Presence presence;
    private ScheduledExecutorService beats;

    DoctorServlet(Realtime realtime, DoctorSettings proxies, Probes probes) {
        this.realtime = realtime;
        this.proxies = proxies;
        this.probes = probes;
        this.presence = new Presence(realtime, System::currentTimeMillis);
    }

    @Override
    public void init() {
        if (sharedBroker()) {
            beats = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tally-doctor-presence"));
            beats.scheduleWithFixedDelay(
                    () -> {
                        if (!realtime.isDraining()) presence.beat();
                    },
                    0,
                    Presence.BEAT_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void destroy() {
        if (beats != null) {
            beats.shutdownNow();
            try {
                if (!beats.awaitTermination(5, TimeUnit.SECONDS)) LOG.warning("presence beat did not stop within 5 s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean sharedBroker() {
        return !"memory".equals(realtime.status().brokerMode());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("/doctor".equals(request.getServletPath()) && request.getPathInfo() == null) {
            String q = request.getQueryString();
            response.setHeader("Cache-Control", "no-store");
            response.sendRedirect(request.getContextPath() + "/doctor/" + (q == null ? "" : "?" + q));
            return;
        }
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        switch (path) {
            case "/config" -> json(response, 200, config());
            case "/redis" -> json(response, 200, redis());
            case "/whoami" -> json(response, 200, whoami(request));
            case "/upgrade-probe" -> upgradeProbe(request, response);
            case "/findings" -> json(response, 200, Findings.json());
            case "", "/" ->
                json(
                        response,
                        200,
                        Map.of(
                                "endpoints",
                                List.of(
                                        "/doctor/api/config",
                                        "/doctor/api/redis",
                                        "/doctor/api/whoami",
                                        "/doctor/api/upgrade-probe",
                                        "/doctor/api/findings",
                                        "/doctor/api/hold")));
            default ->
                json(response, 404, Map.of("status", 404, "title", "Not Found", "detail", "no such doctor endpoint"));
        }
    }

    private Map<String, Object> config() {
        var c = realtime.config();
        String server = getServletContext().getServerInfo();
        return ConfigReport.json(
                c.instanceId(),
                c.heartbeatMillis(),
                c.peerTimeoutMillis(),
                c.pollHoldMillis(),
                proxies,
                majorOnly(server));
    }

    /** "Apache Tomcat/11.0.14" → "Apache Tomcat/11": enough to tell the platform branch, no patch level for scanners. */
    static String majorOnly(String serverInfo) {
        if (serverInfo == null) return null;
        int slash = serverInfo.indexOf('/');
        if (slash < 0) return serverInfo;
        int dot = serverInfo.indexOf('.', slash);
        return dot < 0 ? serverInfo : serverInfo.substring(0, dot);
    }

    private Map<String, Object> redis() {
        RealtimeStatus s = realtime.status();
        String detail = Redaction.redact(s.brokerDetail(), realtime.config().redisUrl());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instance", s.instanceId());
        m.put("mode", s.brokerMode());
        m.put("available", s.brokerAvailable());
        m.put("detail", detail);
        m.put("lagMs", s.brokerLagMillis());
        m.put("reconnects", s.brokerReconnects());
        Map<String, Long> seen = null;
        if (!sharedBroker()) {
            seen = Map.of(s.instanceId(), 0L);
            m.put("presence", "local");
        } else if (s.brokerAvailable()) {
            Presence.Beat beat = presence.freshBeat(LIVE_BEAT_MAX_AGE_MILLIS);
            m.put("publishMs", beat.publishMillis());
            try {
                seen = presence.seen();
                m.put("presence", "shared");
            } catch (RuntimeException e) {
                // UnavailableException: history unreadable right now; the verdict still reports the broker.
                m.put("presence", "unknown");
            }
        } else {
            m.put("presence", "unknown");
        }
        m.put("windowS", Presence.WINDOW_MILLIS / 1000);
        m.put("watchedS", presence.watchedMillis() / 1000);
        List<Map<String, Object>> instances = null;
        if (seen != null) {
            instances = new ArrayList<>();
            for (Map.Entry<String, Long> e : seen.entrySet()) {
                instances.add(Map.of("id", e.getKey(), "lastSeenMs", e.getValue()));
            }
        }
        m.put("instances", instances);
        m.put(
                "verdict",
                RedisReport.verdict(s.brokerMode(), s.brokerAvailable(), detail, s.brokerLagMillis(), seen)
                        .toJson());
        return m;
    }

    private Map<String, Object> whoami(HttpServletRequest request) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instance", realtime.config().instanceId());
        boolean awsalb = false;
        boolean awsalbcors = false;
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if ("AWSALB".equals(c.getName())) awsalb = true;
                if ("AWSALBCORS".equals(c.getName())) awsalbcors = true;
            }
        }
        // Whether they came, never their values.
        m.put("awsalbCookie", awsalb);
        m.put("awsalbcorsCookie", awsalbcors);
        String forwardedProto = request.getHeader("X-Forwarded-Proto");
        String host = request.getHeader("Host");
        m.put("forwardedProto", forwardedProto);
        m.put("host", host);
        m.put("scheme", request.getScheme());
        String xff = request.getHeader("X-Forwarded-For");
        m.put("forwardedForEntries", xff == null ? 0 : xff.split(",").length);
        String origin = request.getParameter("origin");
        if (origin != null && origin.length() <= 300) {
            String seenAs =
                    (forwardedProto != null ? forwardedProto.split(",")[0].trim() : request.getScheme()) + "://" + host;
            m.put("originSeenAs", seenAs);
            // nginx's platform "location /" passes Host without the port ($host); /live/ passes it with the
            // port. So a port-less Host here is compared without the port.
            boolean hostHasPort = host != null && host.matches(".*:\\d+$");
            String compared = hostHasPort ? origin : origin.replaceFirst(":\\d+$", "");
            m.put(
                    "originMatches",
                    compared.equalsIgnoreCase(seenAs)
                            || compared.equalsIgnoreCase(withoutDefaultPort(seenAs))
                            || origin.equalsIgnoreCase(withoutDefaultPort(seenAs)));
        }
        return m;
    }

    private static String withoutDefaultPort(String origin) {
        if (origin.startsWith("http://") && origin.endsWith(":80")) return origin.substring(0, origin.length() - 3);
        if (origin.startsWith("https://") && origin.endsWith(":443")) return origin.substring(0, origin.length() - 4);
        return origin;
    }

    private void upgradeProbe(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String nonce = request.getParameter("nonce");
        if (nonce == null) {
            json(response, 200, probes.start());
            return;
        }
        if (!Probes.NONCE.matcher(nonce).matches()) {
            json(
                    response,
                    400,
                    Map.of("status", 400, "title", "Bad Request", "detail", "nonce must match " + Probes.NONCE));
            return;
        }
        Position since = null;
        String epoch = request.getParameter("epoch");
        String offset = request.getParameter("offset");
        if (epoch != null
                && offset != null
                && !epoch.isEmpty()
                && epoch.length() <= 64
                && Position.isValidOffset(offset)) {
            since = new Position(epoch, offset);
        }
        Map<String, Object> record = probes.find(nonce, since);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nonce", nonce);
        m.put("seen", record != null);
        m.put("askedInstance", realtime.config().instanceId());
        if (record != null) m.putAll(record);
        json(response, 200, m);
    }

    static void json(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(JsonWriter.write(body));
    }
}
