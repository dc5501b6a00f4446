package io.tally.observability;

import io.tally.realtime.LatencyHistogram;
import io.tally.realtime.Metrics;
import io.tally.realtime.Realtime;
import io.tally.realtime.RealtimeStatus;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The real-time core's numbers as Prometheus families, read from its status and counters. */
final class RealtimeMetrics {
    /**
     * Refusal reasons exported even at zero, so a dashboard or alert rule finds the series before
     * the first refusal happens (Prometheus' advice for known label values).
     */
    private static final List<String> KNOWN_REASONS = List.of(
            "draining",
            "over-capacity",
            "too-many-connections",
            "rate-limited",
            "slow-consumer",
            "dead-peer",
            "bad-json",
            "bad-frame");

    private RealtimeMetrics() {}

    static void writeTo(PrometheusText out, Realtime realtime) {
        RealtimeStatus s = realtime.status();
        Metrics m = realtime.metrics();

        out.family("tally_info", "gauge", "Always 1; the labels name this instance and its broker.")
                .sample("tally_info", Map.of("instance", s.instanceId(), "broker", s.brokerMode()), 1);
        out.gauge("tally_draining", "1 while this instance drains for shutdown.", s.draining() ? 1 : 0);

        out.family(
                        "tally_connections",
                        "gauge",
                        "Open client connections by transport: WebSocket sessions and held long-polls.")
                .sample("tally_connections", Map.of("transport", "websocket"), s.webSocketConnections())
                .sample("tally_connections", Map.of("transport", "polling"), s.pollsWaiting());
        out.gauge("tally_rooms_active", "Rooms with at least one local subscriber.", s.activeRooms());

        out.counter(
                "tally_messages_published_total", "Messages published through this instance.", s.messagesPublished());
        out.counter(
                "tally_messages_delivered_total",
                "Messages the broker delivered to this instance for local subscribers.",
                m.delivered());
        out.counter("tally_frames_received_total", "Frames received from WebSocket clients.", s.framesIn());
        out.counter(
                "tally_frames_sent_total", "Frames queued to WebSocket clients, plus poll responses.", s.framesOut());
        out.counter("tally_polls_total", "Long-poll requests received.", m.polls());

        histogram(
                out,
                "tally_fanout_seconds",
                "Time from a message reaching this instance to its frame being queued for every local subscriber; one observation per batch of messages that left together.",
                m.fanoutLatency().snapshot());

        out.gauge(
                "tally_viewers_counted",
                "Viewers of counted rooms on this instance, as last reported to the other instances (\"N watching\").",
                m.localViewers());
        out.gauge("tally_rooms_counted", "Counted rooms with viewers on this instance.", m.countedRooms());
        out.counter(
                "tally_count_exchanges_total",
                "Viewer-count reports exchanged with the broker (one Redis script each).",
                m.countExchanges());
        out.counter(
                "tally_count_exchange_failures_total",
                "Viewer-count reports that failed (retried the next interval).",
                m.countFailures());
        out.counter("tally_counts_told_total", "Changed room totals told to this instance's viewers.", m.countsTold());
        histogram(
                out,
                "tally_count_exchange_seconds",
                "Time of one viewer-count exchange with the broker.",
                m.countExchangeLatency().snapshot());
        out.counter(
                "tally_messages_conflated_total",
                "Merged messages sent to viewers that fell behind in a conflatable room, each in place of several.",
                m.conflated());

        out.gauge("tally_broker_up", "1 when the broker is reachable.", s.brokerAvailable() ? 1 : 0);
        out.gauge(
                "tally_broker_lag_seconds",
                "How far the broker's delivery to this instance lags (0 for the memory broker).",
                s.brokerLagMillis() / 1000.0);
        out.counter(
                "tally_broker_reconnects_total",
                "Reconnections of the broker's connections since start.",
                s.brokerReconnects());

        Map<String, Long> rejected = new TreeMap<>();
        KNOWN_REASONS.forEach(r -> rejected.put(r, 0L));
        rejected.putAll(s.rejected());
        out.family(
                "tally_rejected_total",
                "counter",
                "Refused connections, polls and frames by reason (the protocol's error codes and HTTP refusals).");
        rejected.forEach((reason, n) -> out.sample("tally_rejected_total", Map.of("reason", reason), n));
    }

    private static void histogram(PrometheusText out, String name, String help, LatencyHistogram.Snapshot h) {
        out.family(name, "histogram", help);
        for (int i = 0; i < h.boundsSeconds().length; i++) {
            out.sample(name + "_bucket", Map.of("le", PrometheusText.number(h.boundsSeconds()[i])), h.cumulative()[i]);
        }
        out.sample(name + "_bucket", Map.of("le", "+Inf"), h.count());
        out.sample(name + "_sum", h.sumSeconds());
        out.sample(name + "_count", h.count());
    }
}
