package io.tally.bench;

import io.tally.json.Json;
import io.tally.json.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's result as {@code target/bench/LABEL.json} and {@code LABEL.md}, appends it to
 * {@code summary.jsonl} and rewrites {@code summary.md}: one table row per run, newest last.
 */
final class Report {
    static final String HEADER =
            "| run | tool | scenario | transport | deflate offered / negotiated | N | R | D | inst. | broker | published | expected | delivered | delivered/s "
                    + "| undelivered | dup | ooo | p50 ms | p90 ms | p99 ms | max ms | connect s | RSS KiB/conn | heap KiB/conn "
                    + "| server CPU s | server µs/delivery | server CPU s/100k | wire bytes/delivery | payload bytes/delivery "
                    + "| tool CPU s | load avg |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";

    private Report() {}

    static void write(Path dir, String label, Map<String, Object> r) throws IOException {
        Files.createDirectories(dir);
        String json = JsonWriter.write(clean(r));
        Files.writeString(dir.resolve(label + ".json"), json + "\n");
        Files.writeString(dir.resolve(label + ".md"), "# " + label + "\n\n" + HEADER + row(r) + "\n");
        Files.writeString(
                dir.resolve("summary.jsonl"), json + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        StringBuilder md = new StringBuilder("# Fan-out runs (newest last)\n\n").append(HEADER);
        for (String line : Files.readAllLines(dir.resolve("summary.jsonl"), StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            try {
                md.append(row(Json.parseObject(line, 16))).append('\n');
            } catch (RuntimeException ignored) {
                // a damaged line: skip it
            }
        }
        Files.writeString(dir.resolve("summary.md"), md);
    }

    @SuppressWarnings("unchecked")
    static String row(Map<String, Object> r) {
        if (r.containsKey("error") && !r.containsKey("delivered")) {
            return "| " + r.get("label") + " | error: " + r.get("error") + " |";
        }
        Map<String, Object> lat = (Map<String, Object>) r.getOrDefault("latency_ms", Map.of());
        List<Map<String, Object>> servers = (List<Map<String, Object>>) r.getOrDefault("servers", List.of());
        List<String> rss = new ArrayList<>(), heap = new ArrayList<>();
        for (Map<String, Object> s : servers) {
            if (s.get("rss_kib_per_conn") != null) rss.add(num(s.get("rss_kib_per_conn")));
            if (s.get("heap_kib_per_conn") != null) heap.add(num(s.get("heap_kib_per_conn")));
        }
        if (rss.isEmpty() && r.get("server_kib_per_conn") instanceof List<?> l) for (Object x : l) rss.add(num(x));
        return "| " + r.get("label") + " | " + r.get("tool") + " | " + r.getOrDefault("scenario", "fanout") + " | "
                + r.get("transport")
                + " | " + deflate(r) + " | " + r.get("N") + " | " + num(r.get("R"))
                + " | " + num(r.get("D")) + " | " + r.get("instances") + " | " + r.get("broker") + " | "
                + num(r.get("published"))
                + " | " + num(r.get("expected"))
                + " | " + num(r.get("delivered")) + " | " + num(r.get("delivered_per_s")) + " | "
                + num(r.get("undelivered"))
                + " | " + num(r.get("duplicated")) + " | " + num(r.get("out_of_order")) + " | " + num(lat.get("p50"))
                + " | " + num(lat.get("p90")) + " | " + num(lat.get("p99")) + " | " + num(lat.get("max"))
                + " | " + num(r.get("connect_all_s")) + " | " + String.join(" / ", rss) + " | "
                + String.join(" / ", heap)
                + " | " + num(r.get("server_cpu_s_publish")) + " | " + num(r.get("server_cpu_us_per_delivery"))
                + " | " + num(r.get("server_cpu_s_per_100k")) + " | " + num(r.get("wire_bytes_per_delivery"))
                + " | " + num(r.get("payload_bytes_per_delivery")) + " | " + num(r.get("loadgen_cpu_s_publish"))
                + " | " + num(r.get("load_avg_before")) + " |";
    }

    /** "yes / permessage-deflate…" or "no / none": what was offered and what the servers answered. */
    static String deflate(Map<String, Object> r) {
        if (!"websocket".equals(r.get("transport"))) return "—";
        String offered = Boolean.TRUE.equals(r.get("deflate_offered")) ? "yes" : "no";
        Object ext = r.get("negotiated_extensions");
        String answered = ext instanceof Map<?, ?> m && !m.isEmpty()
                ? String.join(", ", m.keySet().stream().map(String::valueOf).toList())
                : "?";
        return offered + " / " + answered;
    }

    private static String num(Object o) {
        if (o == null) return "—";
        if (o instanceof Double d) {
            if (d.isNaN()) return "—";
            if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString(d.longValue());
            return d.toString();
        }
        return o.toString();
    }

    /** NaN and infinities are not JSON: they become null. */
    @SuppressWarnings("unchecked")
    private static Object clean(Object o) {
        if (o instanceof Double d && (d.isNaN() || d.isInfinite())) return null;
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), clean(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) out.add(clean(x));
            return out;
        }
        if (o instanceof java.nio.file.Path p) return p.toString();
        return o;
    }
}
