package io.tally.chaos;

import io.tally.standin.Proc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one Tomcat JVM's vital signs from outside: heap after a full GC (jcmd GC.run, then the
 * instance's /metrics, which answers loopback), RSS and threads from /proc/PID/status, and open
 * file descriptors from /proc/PID/fd.
 */
final class Sampler {
    record Vitals(double heapMiB, double rssMiB, int fds, int threads) {}

    private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"\\} (\\S+)");

    private Sampler() {}

    static Vitals sample(long pid, String baseUrl, Path workDir) throws IOException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Proc.run(List.of(jcmd, Long.toString(pid), "GC.run"), workDir, 30_000);
        Http.Response metrics = Http.get(baseUrl + "/metrics", 5_000);
        Matcher m = HEAP.matcher(metrics.body());
        double heap = m.find() ? Double.parseDouble(m.group(1)) / (1 << 20) : Double.NaN;
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        double rss = field(status, "VmRSS") / 1024.0;
        int threads = (int) field(status, "Threads");
        int fds;
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = (int) s.count();
        }
        return new Vitals(heap, rss, fds, threads);
    }

    private static long field(String status, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":\\s+(\\d+)").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
