package io.tally.observability;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/** JVM and process basics, read from the platform MXBeans and, where Linux offers it, /proc. */
final class JvmMetrics {
    private static final Path OPEN_FDS = Path.of("/proc/self/fd");

    private JvmMetrics() {
    }

    static void writeTo(PrometheusText out) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        out.gauge("jvm_memory_heap_used_bytes", "Heap in use.", heap.getUsed());
        // -1 when the JVM has no limit; a scraper should treat a negative as "unbounded".
        out.gauge("jvm_memory_heap_max_bytes", "Largest heap the JVM may use (-1: undefined).", heap.getMax());
        out.gauge("jvm_threads_live", "Live threads, daemon or not.", ManagementFactory.getThreadMXBean().getThreadCount());

        out.family("jvm_gc_collections_total", "counter", "Garbage collections by collector.");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            out.sample("jvm_gc_collections_total", Map.of("gc", gc.getName()), Math.max(0, gc.getCollectionCount()));
        }
        out.family("jvm_gc_collection_seconds_total", "counter", "Time spent in garbage collection by collector.");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            out.sample("jvm_gc_collection_seconds_total", Map.of("gc", gc.getName()), Math.max(0, gc.getCollectionTime()) / 1000.0);
        }
        out.gauge("process_uptime_seconds", "Time since the JVM started.", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);

        long fds = openFileDescriptors();
        if (fds >= 0) out.gauge("process_open_fds", "Open file descriptors (sockets included).", fds);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            out.gauge("process_max_fds", "The file-descriptor limit: each connection holds one (two behind nginx).",
                    unix.getMaxFileDescriptorCount());
        }
    }

    /** -1 where /proc is not there (macOS, a locked-down container). */
    static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(OPEN_FDS)) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
