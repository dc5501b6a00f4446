package io.tally.standin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One child process of the stand-in (HAProxy, nginx, Tomcat, Redis) with its output in a log file.
 * Stopping always takes the whole process tree (nginx workers, anything a script spawned).
 */
public final class Proc {
    private final String name;
    private final Process process;
    private final Path log;

    private Proc(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} in {@code dir}, environment = ours plus {@code env}, output appended to {@code log}. */
    public static Proc start(String name, List<String> command, Path dir, Map<String, String> env, Path log) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            return new Proc(name, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Fails with the log's tail when the process has died, e.g. while we wait for it to be ready. */
    public void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    name + " exited with status " + process.exitValue() + "; log " + log + ":\n" + tail(log, 40));
        }
    }

    /** SIGTERM to the tree, SIGKILL to whatever is left after {@code graceMillis}. Safe to call twice. */
    public void stop(long graceMillis) {
        List<ProcessHandle> tree = tree();
        signal("CONT", tree); // a paused process would not act on SIGTERM
        for (ProcessHandle h : tree) h.destroy();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        for (ProcessHandle h : tree) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                // not gone within the grace period: killed below
            }
        }
        kill();
    }

    /** SIGKILL to the whole tree, like a crash or an OOM kill; waits until the main process is gone. */
    public void kill() {
        List<ProcessHandle> tree = tree();
        signal("CONT", tree);
        for (ProcessHandle h : tree) h.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP to the tree: its sockets stay open but nothing moves, like a network that went away. */
    public void pause() {
        signal("STOP", tree());
    }

    /** SIGCONT to the tree. */
    public void resume() {
        signal("CONT", tree());
    }

    /** Children first, so no parent respawns a child we just stopped. */
    private List<ProcessHandle> tree() {
        List<ProcessHandle> all = new ArrayList<>();
        process.descendants().forEach(all::add);
        all.add(process.toHandle());
        all.removeIf(h -> !h.isAlive());
        return all;
    }

    private static void signal(String sig, List<ProcessHandle> handles) {
        if (handles.isEmpty()) return;
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + sig));
        for (ProcessHandle h : handles) cmd.add(Long.toString(h.pid()));
        try {
            // Java has no API for STOP/CONT; kill(1) exists wherever nginx and HAProxy do.
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("kill -" + sig + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Last {@code lines} lines of a log file, for error messages. */
    public static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) return "(no log)";
            List<String> all = Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Runs a short command to completion (e.g. {@code nginx -t}); returns exit status and output. */
    public static Result run(List<String> command, Path dir, long timeoutMillis) {
        Path out = null;
        try {
            out = Files.createTempFile("standin-run", ".log");
            Process p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeoutMillis + " ms: " + command);
            }
            return new Result(p.exitValue(), Files.readString(out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a stray temp file is harmless
                }
            }
        }
    }

    public record Result(int status, String output) {}

    @Override
    public String toString() {
        return name + "(pid " + process.pid() + ")";
    }
}
