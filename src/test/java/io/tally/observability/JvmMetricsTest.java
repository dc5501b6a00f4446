package io.tally.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JvmMetricsTest {
    /** Sample name with labels -> value, and family name -> TYPE. */
    private final Map<String, Double> samples = new HashMap<>();

    private final Map<String, String> types = new HashMap<>();

    private void scrape() {
        PrometheusText text = new PrometheusText();
        JvmMetrics.writeTo(text);
        new Exposition(text.toString()); // well-formed: every sample under a HELP and TYPE, valid names
        for (String line : text.toString().split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                types.put(p[2], p[3]);
            } else if (!line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                samples.put(
                        line.substring(0, space),
                        Double.parseDouble(line.substring(space + 1).replace("+Inf", "Infinity")));
            }
        }
    }

    @Test
    void familiesCarryThePrometheusJavaClientsNamesTypesAndLabels() {
        scrape();
        assertTrue(samples.get("jvm_memory_used_bytes{area=\"heap\"}") > 0);
        assertTrue(samples.get("jvm_memory_used_bytes{area=\"nonheap\"}") > 0);
        assertTrue(samples.get("jvm_memory_committed_bytes{area=\"heap\"}")
                >= samples.get("jvm_memory_used_bytes{area=\"heap\"}"));
        assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_pool_used_bytes{pool=")));
        assertTrue(samples.containsKey("jvm_buffer_pool_used_bytes{pool=\"direct\"}"));
        assertTrue(samples.get("jvm_threads_current") >= 1);
        assertTrue(samples.get("jvm_threads_peak") >= samples.get("jvm_threads_current") - 5);
        assertTrue(samples.get("jvm_threads_started_total") >= 1);
        assertTrue(samples.get("jvm_classes_currently_loaded") > 100);
        assertEquals(
                1,
                samples.get(samples.keySet().stream()
                        .filter(k -> k.startsWith("jvm_runtime_info{"))
                        .findFirst()
                        .orElseThrow()));
        assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith("jvm_gc_collection_seconds_count{gc=")));
        assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith("jvm_gc_collection_seconds_sum{gc=")));
        assertTrue(samples.get("process_cpu_seconds_total") > 0);
        assertTrue(samples.get("process_start_time_seconds") > 1.7e9);

        assertEquals("summary", types.get("jvm_gc_collection_seconds"));
        for (String counter :
                List.of("jvm_threads_started_total", "jvm_classes_loaded_total", "process_cpu_seconds_total")) {
            assertEquals("counter", types.get(counter), counter);
        }
        assertEquals("gauge", types.get("jvm_memory_used_bytes"));
    }

    @Test
    void processFiguresComeFromProcAndAreAbsentWithoutIt() {
        scrape();
        if (!Files.isReadable(Path.of("/proc/self/status"))) { // macOS, Windows
            assertTrue(
                    !samples.containsKey("process_resident_memory_bytes") && !samples.containsKey("process_open_fds"));
            return;
        }
        assertTrue(samples.get("process_open_fds") > 0);
        assertTrue(samples.get("process_max_fds") >= samples.get("process_open_fds"));
        double rss = samples.get("process_resident_memory_bytes");
        assertTrue(rss > 10e6 && rss <= samples.get("process_virtual_memory_bytes"), "resident " + rss);
    }
}
