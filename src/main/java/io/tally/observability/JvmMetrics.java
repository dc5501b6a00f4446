package io.tally.observability;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * JVM and process metrics under the names of the Prometheus Java client's JVM instrumentation
 * ({@code prometheus-metrics-instrumentation-jvm}), so stock JVM dashboards and alerts work
 * unchanged. Read from the platform MXBeans and, where Linux offers it, /proc. Left out: the
 * families that cost a safepoint or a walk over every thread per scrape (thread states, deadlocks).
 */
final class JvmMetrics {
    private static final Path OPEN_FDS = Path.of("/proc/self/fd");
    private static final Path STATUS = Path.of("/proc/self/status");

    private JvmMetrics() {}

    static void writeTo(PrometheusText out) {
        memory(out);
        buffers(out);
        threads(out);
        gc(out);
        classes(out);
        runtime(out);
        process(out);
    }

    private static void memory(PrometheusText out) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        byArea(
                out,
                "jvm_memory_used_bytes",
                "Used bytes of a given JVM memory area.",
                heap,
                nonHeap,
                MemoryUsage::getUsed);
        byArea(
                out,
                "jvm_memory_committed_bytes",
                "Committed (bytes) of a given JVM memory area.",
                heap,
                nonHeap,
                MemoryUsage::getCommitted);
        // -1 where the JVM sets no limit: read a negative max as "unbounded".
        byArea(
                out,
                "jvm_memory_max_bytes",
                "Max (bytes) of a given JVM memory area.",
                heap,
                nonHeap,
                MemoryUsage::getMax);
        byArea(
                out,
                "jvm_memory_init_bytes",
                "Initial bytes of a given JVM memory area.",
                heap,
                nonHeap,
                MemoryUsage::getInit);

        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        byPool(
                out,
                "jvm_memory_pool_used_bytes",
                "Used bytes of a given JVM memory pool.",
                pools,
                MemoryUsage::getUsed);
        byPool(
                out,
                "jvm_memory_pool_committed_bytes",
                "Committed bytes of a given JVM memory pool.",
                pools,
                MemoryUsage::getCommitted);
        byPool(out, "jvm_memory_pool_max_bytes", "Max bytes of a given JVM memory pool.", pools, MemoryUsage::getMax);
    }

    private static void byArea(
            PrometheusText out,
            String name,
            String help,
            MemoryUsage heap,
            MemoryUsage nonHeap,
            ToLongFunction<MemoryUsage> value) {
        out.family(name, "gauge", help)
                .sample(name, Map.of("area", "heap"), value.applyAsLong(heap))
                .sample(name, Map.of("area", "nonheap"), value.applyAsLong(nonHeap));
    }

    private static void byPool(
            PrometheusText out,
            String name,
            String help,
            List<MemoryPoolMXBean> pools,
            ToLongFunction<MemoryUsage> value) {
        out.family(name, "gauge", help);
        for (MemoryPoolMXBean pool : pools) {
            MemoryUsage usage = pool.getUsage();
            if (usage != null) out.sample(name, Map.of("pool", pool.getName()), value.applyAsLong(usage));
        }
    }

    /** Direct buffers hold what the WebSocket and socket layers have in flight, outside the heap. */
    private static void buffers(PrometheusText out) {
        List<BufferPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);
        out.family("jvm_buffer_pool_used_bytes", "gauge", "Used bytes of a given JVM buffer pool.");
        for (BufferPoolMXBean p : pools)
            out.sample("jvm_buffer_pool_used_bytes", Map.of("pool", p.getName()), p.getMemoryUsed());
        out.family("jvm_buffer_pool_capacity_bytes", "gauge", "Bytes capacity of a given JVM buffer pool.");
        for (BufferPoolMXBean p : pools)
            out.sample("jvm_buffer_pool_capacity_bytes", Map.of("pool", p.getName()), p.getTotalCapacity());
        out.family("jvm_buffer_pool_used_buffers", "gauge", "Used buffers of a given JVM buffer pool.");
        for (BufferPoolMXBean p : pools)
            out.sample("jvm_buffer_pool_used_buffers", Map.of("pool", p.getName()), p.getCount());
    }

    private static void threads(PrometheusText out) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        out.gauge("jvm_threads_current", "Current thread count of a JVM", threads.getThreadCount());
        out.gauge("jvm_threads_daemon", "Daemon thread count of a JVM", threads.getDaemonThreadCount());
        out.gauge("jvm_threads_peak", "Peak thread count of a JVM", threads.getPeakThreadCount());
        out.counter("jvm_threads_started_total", "Started thread count of a JVM", threads.getTotalStartedThreadCount());
    }

    /** A summary with count and sum only, as the Java client exposes it. */
    private static void gc(PrometheusText out) {
        out.family("jvm_gc_collection_seconds", "summary", "Time spent in a given JVM garbage collector in seconds.");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            Map<String, String> label = Map.of("gc", gc.getName());
            out.sample("jvm_gc_collection_seconds_count", label, Math.max(0, gc.getCollectionCount()));
            out.sample("jvm_gc_collection_seconds_sum", label, Math.max(0, gc.getCollectionTime()) / 1000.0);
        }
    }

    private static void classes(PrometheusText out) {
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        out.gauge(
                "jvm_classes_currently_loaded",
                "The number of classes that are currently loaded in the JVM",
                classes.getLoadedClassCount());
        out.counter(
                "jvm_classes_loaded_total",
                "The total number of classes that have been loaded since the JVM has started execution",
                classes.getTotalLoadedClassCount());
        out.counter(
                "jvm_classes_unloaded_total",
                "The total number of classes that have been unloaded since the JVM has started execution",
                classes.getUnloadedClassCount());
    }

    private static void runtime(PrometheusText out) {
        // An info metric; the 0.0.4 text format has no info type, so a gauge at 1 as the client writes it.
        out.family("jvm_runtime_info", "gauge", "JVM runtime info")
                .sample(
                        "jvm_runtime_info",
                        Map.of(
                                "runtime", System.getProperty("java.runtime.name", "unknown"),
                                "vendor", System.getProperty("java.vm.vendor", "unknown"),
                                "version", System.getProperty("java.runtime.version", "unknown")),
                        1);
    }

    private static void process(PrometheusText out) {
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun && sun.getProcessCpuTime() >= 0) {
            out.counter(
                    "process_cpu_seconds_total",
                    "Total user and system CPU time spent in seconds.",
                    sun.getProcessCpuTime() / 1e9);
        }
        out.gauge(
                "process_start_time_seconds",
                "Start time of the process since unix epoch in seconds.",
                runtime.getStartTime() / 1000.0);
        long fds = openFileDescriptors();
        if (fds >= 0) out.gauge("process_open_fds", "Number of open file descriptors.", fds);
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            // Each viewer holds one descriptor in Tomcat (two behind nginx): the limit caps viewers.
            out.gauge("process_max_fds", "Maximum number of open file descriptors.", unix.getMaxFileDescriptorCount());
        }
        long rss = statusKilobytes("VmRSS:");
        if (rss >= 0) out.gauge("process_resident_memory_bytes", "Resident memory size in bytes.", rss * 1024);
        long virtual = statusKilobytes("VmSize:");
        if (virtual >= 0) out.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", virtual * 1024);
    }

    /** -1 where /proc is not there (macOS, a locked-down container). */
    static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(OPEN_FDS)) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A "Name:   1234 kB" line of /proc/self/status, in kB; -1 where there is none. */
    static long statusKilobytes(String field) {
        try (Stream<String> lines = Files.lines(STATUS)) {
            return lines.filter(l -> l.startsWith(field))
                    .findFirst()
                    .map(l -> Long.parseLong(l.substring(field.length()).trim().split("\\s+")[0]))
                    .orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
