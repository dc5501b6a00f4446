package io.tally.doctor;

import io.tally.concurrent.TokenBucket;
import io.tally.json.Json;
import io.tally.json.JsonWriter;
import io.tally.realtime.Position;
import io.tally.realtime.Realtime;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * WebSocket handshakes that reached Tomcat without their upgrade headers. The doctor page opens
 * {@code /live/ws?doctor-probe=NONCE}; when a proxy strips {@code Upgrade}/{@code Connection}, the
 * request arrives as a plain GET and {@link UpgradeProbeServlet} records what it carried here. The
 * browser cannot see why a WebSocket failed, so the page then asks for the record by its nonce.
 *
 * <p>A record is kept in this instance's memory (bounded) and published to a room through the
 * {@link Realtime} API, so any instance can answer the question (the follow-up request may land on
 * another instance). Recording is rate-limited: anybody can send such requests.
 */
final class Probes {
    static final String ROOM = "tally-doctor.probes";
    static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final int KEEP = 256;
    private static final int PUBLISHES_PER_SECOND = 10;
    private static final int READ_LIMIT = 1_000;

    private final Realtime realtime;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Map<String, Object>> recent = new LinkedHashMap<>(KEEP, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
            return size() > KEEP;
        }
    };
    private final TokenBucket publishes =
            new TokenBucket(PUBLISHES_PER_SECOND, PUBLISHES_PER_SECOND, System.nanoTime()); // guarded by this

    Probes(Realtime realtime) {
        this.realtime = realtime;
    }

    /** A fresh nonce and where the probes room ends now (null when the broker cannot say). */
    Map<String, Object> start() {
        byte[] b = new byte[18];
        random.nextBytes(b);
        String nonce = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nonce", nonce);
        Position since = null;
        try {
            since = realtime.tip(ROOM);
        } catch (RuntimeException e) {
            // UnavailableException (Redis down): records stay instance-local; the lookup still finds those made here.
        }
        m.put("since", since);
        m.put("instance", realtime.config().instanceId());
        return m;
    }

    /** Records what a probe request carried when it reached Tomcat (without being upgraded). */
    void record(String nonce, String upgrade, String connection, boolean hasKey, String version) {
        if (!NONCE.matcher(nonce).matches()) return;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("probe", nonce);
        r.put("instance", realtime.config().instanceId());
        r.put("at", System.currentTimeMillis());
        r.put("upgrade", clip(upgrade));
        r.put("connection", clip(connection));
        r.put("webSocketKey", hasKey);
        r.put("webSocketVersion", clip(version));
        boolean publish;
        synchronized (this) {
            recent.put(nonce, r);
            publish = publishes.tryAcquire(System.nanoTime());
        }
        if (publish) {
            try {
                realtime.publish(ROOM, JsonWriter.write(r));
            } catch (RuntimeException e) {
                // UnavailableException (Redis down): kept locally; the lookup on this instance still finds it.
            }
        }
    }

    /** The record of a probe, from this instance or from the room after {@code since}; null if none. */
    Map<String, Object> find(String nonce, Position since) {
        synchronized (this) {
            Map<String, Object> r = recent.get(nonce);
            if (r != null) return r;
        }
        if (since == null) return null;
        try {
            Realtime.HistoryExcerpt h = realtime.readHistory(ROOM, since, READ_LIMIT);
            for (String payload : h.payloads()) {
                Map<String, Object> r = Json.parseObject(payload, 4);
                if (nonce.equals(r.get("probe"))) return r;
            }
        } catch (RuntimeException e) {
            // UnavailableException, or a record that is not ours (not JSON): nothing found that we could read.
        }
        return null;
    }

    private static String clip(String s) {
        return s == null ? null : s.length() > 100 ? s.substring(0, 100) : s;
    }
}
