package io.tally.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the load tool working: a tiny "scoreboard fan-out" (50 viewers, 5 msgs/s for 2 s, one
 * embedded in-memory instance) over each transport must deliver every message once, in order, and
 * write its JSON and Markdown reports. A smoke run, not a benchmark: no timing is asserted.
 */
class FanOutSmokeIT {

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void smallFanOutDeliversEverythingOnceAndWritesTheReport(String transport) throws Exception {
        String label = "smoke-it-" + transport;
        FanOut.Options o = FanOut.Options.parse("--viewers", "50", "--rate", "5", "--duration", "2",
                "--transport", transport, "--embedded", "--threads", "1", "--drain", "10", "--label", label);
        Path json = o.outDir().resolve(label + ".json");
        Path md = o.outDir().resolve(label + ".md");
        Files.deleteIfExists(json);
        Files.deleteIfExists(md);

        Map<String, Object> r = FanOut.run(o);

        assertFalse(r.containsKey("error"), () -> "run failed: " + r.get("error"));
        assertEquals(50, ((Number) r.get("joined")).intValue(), "every viewer joined");
        assertEquals(500L, ((Number) r.get("expected")).longValue());
        assertEquals(500L, ((Number) r.get("delivered")).longValue(), () -> "delivered: " + r);
        assertEquals(0L, ((Number) r.get("undelivered")).longValue(), "lost");
        assertEquals(0L, ((Number) r.get("duplicated")).longValue(), "duplicated");
        assertEquals(0L, ((Number) r.get("out_of_order")).longValue(), "out of order");
        assertTrue(Files.isRegularFile(json), "JSON report written");
        assertTrue(Files.readString(json).contains("\"latency_ms\""));
        assertTrue(Files.isRegularFile(md), "Markdown report written");
        assertTrue(Files.readString(md).contains("| " + label + " |"));
    }
}
