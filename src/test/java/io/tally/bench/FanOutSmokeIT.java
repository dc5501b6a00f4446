package io.tally.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keeps the load tool working: a tiny run (50 viewers, 5 msgs/s for 2 s, one embedded in-memory
 * instance) of each scenario and client kind must deliver every message once, in order, and write
 * its JSON and Markdown reports with the wire bytes and the negotiated extension. A smoke run, not a
 * benchmark: no timing is asserted. Whether the server accepts the browser-like deflate offer is its
 * decision; either answer must work.
 */
class FanOutSmokeIT {

    @ParameterizedTest(name = "{0} {1}, deflate {2}")
    @CsvSource({
        "fanout,     websocket, on",
        "fanout,     websocket, off",
        "fanout,     polling,   off",
        "scoreboard, websocket, on",
        "scoreboard, websocket, off",
    })
    void smallRunDeliversEverythingOnceAndWritesTheReport(String scenario, String transport, String deflate)
            throws Exception {
        String label = "smoke-it-" + scenario + "-" + transport + "-" + deflate;
        FanOut.Options o = FanOut.Options.parse(
                "--scenario",
                scenario,
                "--log",
                "20",
                "--deflate",
                deflate,
                "--viewers",
                "50",
                "--rate",
                "5",
                "--duration",
                "2",
                "--transport",
                transport,
                "--embedded",
                "--threads",
                "1",
                "--drain",
                "10",
                "--settle",
                "0", // no memory/CPU baseline is asserted here
                "--label",
                label);
        Path json = o.outDir().resolve(label + ".json");
        Path md = o.outDir().resolve(label + ".md");
        Files.deleteIfExists(json);
        Files.deleteIfExists(md);

        Map<String, Object> r = FanOut.run(o);

        assertFalse(r.containsKey("error"), () -> "run failed: " + r.get("error"));
        assertEquals(50, ((Number) r.get("joined")).intValue(), "every viewer joined");
        assertEquals(10L, ((Number) r.get("published")).longValue(), () -> "published: " + r);
        assertEquals(500L, ((Number) r.get("expected")).longValue());
        assertEquals(500L, ((Number) r.get("delivered")).longValue(), () -> "delivered: " + r);
        assertEquals(0L, ((Number) r.get("undelivered")).longValue(), "lost");
        assertEquals(0L, ((Number) r.get("duplicated")).longValue(), "duplicated");
        assertEquals(0L, ((Number) r.get("out_of_order")).longValue(), "out of order");
        assertEquals(0L, ((Number) r.get("errors")).longValue(), () -> "errors: " + r);
        assertTrue(((Number) r.get("wire_bytes_per_delivery")).doubleValue() > 0, "wire bytes reported");
        assertTrue(((Number) r.get("payload_bytes_per_delivery")).doubleValue() > 0, "payload bytes reported");
        if (transport.equals("websocket")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> ext = (Map<String, Object>) r.get("negotiated_extensions");
            assertEquals(
                    50,
                    ext.values().stream().mapToInt(x -> ((Number) x).intValue()).sum(),
                    () -> "every upgrade's answer recorded: " + ext);
            if (deflate.equals("off")) assertEquals(Map.of("none", 50), ext, "nothing offered, nothing negotiated");
            else
                assertTrue(
                        ext.keySet().stream().allMatch(k -> k.equals("none") || k.startsWith("permessage-deflate")),
                        () -> "answers: " + ext);
        }
        if (scenario.equals("scoreboard")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> post = (Map<String, Object>) r.get("scorer_post_ms");
            assertEquals(10L, ((Number) post.get("ok")).longValue(), () -> "scorer: " + r.get("scorer_first_failure"));
            assertEquals(
                    21L, ((Number) r.get("game_version_before")).longValue(), "created (1) plus the 20 seeded events");
        }
        assertTrue(Files.isRegularFile(json), "JSON report written");
        assertTrue(Files.readString(json).contains("\"latency_ms\""));
        assertTrue(Files.isRegularFile(md), "Markdown report written");
        assertTrue(Files.readString(md).contains("| " + label + " |"));
    }
}
