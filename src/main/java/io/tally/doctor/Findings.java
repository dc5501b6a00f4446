package io.tally.doctor;

import io.tally.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The doctor's catalogue of findings ({@code findings.json} next to this class): for each thing a
 * check can report, its severity, a title and the fix text, with links to the nginx and AWS docs.
 * The command line and the server's verdicts read it here; the page reads the same file from
 * {@code GET /doctor/api/findings}, so a fix is written once for every client.
 */
public final class Findings {
    /** nginx (or the balancer in front of it) refused extra connections: worker_connections exhausted. */
    public static final String NGINX_CONNECTIONS = "capacity.nginx-connections";
    /** Extra WebSockets failed to open and the client cannot see why (the page). */
    public static final String CAPACITY_UNEXPLAINED = "capacity.unexplained";
    /** Tally itself refused the extra connections (its own limits). */
    public static final String APP_REFUSED = "capacity.app-refused";
    /** nginx cut a silent request at its built-in 60 s: our .platform/nginx files are not in use. */
    public static final String PLATFORM_NGINX = "platform.nginx-not-applied";
    /** The load balancer cut a silent request earlier than the idle timeout it was configured with. */
    public static final String PLATFORM_BALANCER = "platform.balancer-timeout";
    /** Something else closed a silent request early. */
    public static final String PLATFORM_CUT = "platform.cut";

    /** One entry of the catalogue. */
    public record Finding(String id, String severity, String title, String fix, List<String> docs) {}

    private static final String RESOURCE = "findings.json";
    private static final Map<String, Object> CATALOGUE = load();
    private static final Map<String, Finding> BY_ID = index(CATALOGUE);

    private Findings() {}

    /** The finding with this id; throws for an unknown id (a typo in a client). */
    public static Finding get(String id) {
        Finding f = BY_ID.get(id);
        if (f == null) throw new IllegalArgumentException("no such finding: " + id);
        return f;
    }

    /** The fix text of a finding; throws for an unknown id. */
    public static String fix(String id) {
        return get(id).fix();
    }

    /** Every finding, in catalogue order. */
    public static Map<String, Finding> all() {
        return BY_ID;
    }

    /**
     * The JSON of {@code GET /doctor/api/findings}: the catalogue as stored ({@code findings}) and,
     * for clients that want only the texts, {@code fixes} (id to fix).
     */
    static Map<String, Object> json() {
        Map<String, Object> fixes = new LinkedHashMap<>();
        BY_ID.forEach((id, f) -> fixes.put(id, f.fix()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("findings", CATALOGUE.get("findings"));
        m.put("fixes", Collections.unmodifiableMap(fixes));
        return m;
    }

    private static Map<String, Object> load() {
        try (InputStream in = Findings.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8), 8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static Map<String, Finding> index(Map<String, Object> catalogue) {
        Map<String, Finding> byId = new LinkedHashMap<>();
        if (!(catalogue.get("findings") instanceof Map<?, ?> entries))
            throw new IllegalStateException(RESOURCE + " has no findings object");
        entries.forEach((id, value) -> {
            if (!(value instanceof Map<?, ?> e) || !(e.get("fix") instanceof String fix))
                throw new IllegalStateException(RESOURCE + ": finding " + id + " has no fix");
            String severity = String.valueOf(e.get("severity"));
            if (!List.of(Verdict.PASS, Verdict.WARN, Verdict.FAIL).contains(severity))
                throw new IllegalStateException(RESOURCE + ": finding " + id + " has severity " + severity);
            List<String> docs = new ArrayList<>();
            if (e.get("docs") instanceof List<?> links) for (Object l : links) docs.add(String.valueOf(l));
            byId.put(
                    String.valueOf(id),
                    new Finding(String.valueOf(id), severity, String.valueOf(e.get("title")), fix, List.copyOf(docs)));
        });
        return Collections.unmodifiableMap(byId);
    }
}
