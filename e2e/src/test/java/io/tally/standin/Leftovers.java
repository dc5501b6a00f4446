package io.tally.standin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Processes left by a stand-in whose JVM died without running its shutdown hook (kill -9, a CI
 * timeout). Each run directory is named after the JVM that owns it (run-…-PID), and every child
 * process works inside it, so a process whose working directory lies in the run directory of a
 * JVM that no longer exists is ours and orphaned. Linux only (/proc); elsewhere it does nothing.
 */
final class Leftovers {
    private static final Pattern OWNER = Pattern.compile("run-.*-(\\d+)");

    private Leftovers() {}

    /** Stops orphans of dead runs under {@code standinRoot}; returns how many were stopped. */
    static int reap(Path standinRoot) {
        if (!Files.isDirectory(Path.of("/proc/self"))) return 0;
        Path root = standinRoot.toAbsolutePath().normalize();
        List<ProcessHandle> orphans = ProcessHandle.allProcesses()
                .filter(p -> {
                    Optional<Path> runDir = runDirOf(p, root);
                    return runDir.isPresent() && !ownerAlive(runDir.get());
                })
                .toList();
        for (ProcessHandle p : orphans) p.destroyForcibly();
        return orphans.size();
    }

    private static Optional<Path> runDirOf(ProcessHandle p, Path root) {
        try {
            Path cwd = Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/cwd"))
                    .toAbsolutePath()
                    .normalize();
            if (!cwd.startsWith(root) || cwd.getNameCount() <= root.getNameCount()) return Optional.empty();
            return Optional.of(root.resolve(cwd.getName(root.getNameCount())));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty(); // not ours to look at, or gone
        }
    }

    private static boolean ownerAlive(Path runDir) {
        Matcher m = OWNER.matcher(runDir.getFileName().toString());
        if (!m.matches()) return true; // not a run directory (e.g. dist/): never touch
        return ProcessHandle.of(Long.parseLong(m.group(1)))
                .map(ProcessHandle::isAlive)
                .orElse(false);
    }
}
