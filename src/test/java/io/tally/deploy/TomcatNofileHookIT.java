package io.tally.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.standin.Proc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs .platform/hooks/predeploy/10-tomcat-nofile.sh with a stand-in systemctl (a script that
 * answers like systemd and records what it was asked) and a temporary systemd directory.
 */
class TomcatNofileHookIT {
    @TempDir
    Path tmp;

    Path bin;
    Path systemd;
    Path calls;
    Path hook = Project.dir().resolve(".platform/hooks/predeploy/10-tomcat-nofile.sh");

    @BeforeEach
    void fakeSystemd() throws IOException {
        bin = Files.createDirectories(tmp.resolve("bin"));
        systemd = Files.createDirectories(tmp.resolve("systemd"));
        calls = tmp.resolve("calls.log");
        limits("1024", "524288");
    }

    /** systemctl that knows tomcat.service with the given limits, or no unit when soft is null. */
    private void limits(String soft, String hard) throws IOException {
        String script = "#!/bin/bash\n"
                + "echo \"$*\" >> '" + calls + "'\n"
                + "case \"$1\" in\n"
                + "  cat) " + (soft == null ? "exit 1" : "exit 0") + ";;\n"
                + "  show) if [[ \"$3\" == LimitNOFILESoft ]]; then echo '" + soft + "'; else echo '" + hard
                + "'; fi;;\n"
                + "  daemon-reload) exit 0;;\n"
                + "esac\n";
        Path sc = bin.resolve("systemctl");
        Files.writeString(sc, script);
        sc.toFile().setExecutable(true);
    }

    private Proc.Result runHook() {
        return run(hook);
    }

    private Proc.Result run(Path script, String... env) {
        List<String> cmd = new java.util.ArrayList<>(
                List.of("env", "PATH=" + bin + ":/usr/bin:/bin", "TALLY_SYSTEMD_DIR=" + systemd));
        cmd.addAll(List.of(env));
        cmd.addAll(List.of("bash", script.toString()));
        return Proc.run(cmd, tmp, 20_000);
    }

    private Path dropIn() {
        return systemd.resolve("tomcat.service.d/zz-tally-nofile.conf");
    }

    private long reloads() throws IOException {
        return Files.exists(calls)
                ? Files.readAllLines(calls).stream()
                        .filter(l -> l.equals("daemon-reload"))
                        .count()
                : 0;
    }

    @Test
    void raisesTheSoftLimitKeepsTheHigherHardLimitAndReloads() throws IOException {
        Proc.Result r = runHook();
        assertEquals(0, r.status(), r.output());
        assertTrue(
                Files.readString(dropIn()).contains("[Service]\nLimitNOFILE=65536:524288\n"),
                Files.readString(dropIn()));
        assertEquals(1, reloads());
    }

    @Test
    void isIdempotent() throws IOException {
        assertEquals(0, runHook().status());
        limits("65536", "524288"); // what systemd reports once our drop-in is loaded
        Proc.Result again = runHook();
        assertEquals(0, again.status(), again.output());
        assertTrue(again.output().contains("already has"), again.output());
        assertEquals(1, reloads(), "no second daemon-reload");
    }

    @Test
    void neverLowersHigherLimits() throws IOException {
        limits("1048576", "infinity");
        assertEquals(0, runHook().status());
        assertTrue(Files.readString(dropIn()).contains("LimitNOFILE=1048576:infinity"), Files.readString(dropIn()));
    }

    @Test
    void skipsWithoutFailingWhenTheUnitIsMissing() throws IOException {
        limits(null, null);
        Proc.Result r = runHook();
        assertEquals(0, r.status(), "an optimisation must never fail a deployment");
        assertTrue(r.output().contains("not found"), r.output());
        assertFalse(Files.exists(dropIn()));
    }

    @Test
    void sortsAfterThePlatformsOwnDropInAndRemovesTheOldName() throws IOException {
        Path dir = Files.createDirectories(systemd.resolve("tomcat.service.d"));
        Files.writeString(dir.resolve("90-tally-nofile.conf"), "[Service]\nLimitNOFILE=65536:65536\n");
        assertEquals(0, runHook().status());
        assertFalse(Files.exists(dir.resolve("90-tally-nofile.conf")), "the old name sorted before tomcat.conf");
        List<String> names = new java.util.ArrayList<>(
                List.of("tomcat.conf", dropIn().getFileName().toString()));
        java.util.Collections.sort(names); // systemd applies drop-ins in this order; the last LimitNOFILE wins
        assertEquals(dropIn().getFileName().toString(), names.get(names.size() - 1));
    }

    @Test
    void aConfigurationDeploymentRunsTheSameHook() throws IOException {
        Proc.Result r = run(
                Project.dir().resolve(".platform/confighooks/predeploy/10-tomcat-nofile.sh"), "TALLY_NOFILE=100000");
        assertEquals(0, r.status(), r.output());
        assertTrue(Files.readString(dropIn()).contains("LimitNOFILE=100000:524288"), Files.readString(dropIn()));
    }

    @Test
    void theCheckAfterStartReadsTheRunningTomcatsLimit() throws IOException {
        Path check = Project.dir().resolve(".platform/hooks/postdeploy/10-tomcat-nofile-check.sh");
        Path proc = Files.createDirectories(tmp.resolve("proc/4242"));
        String header = "Limit                     Soft Limit           Hard Limit           Units     \n";
        Files.writeString(
                proc.resolve("limits"),
                header + "Max open files            65536                524288               files     \n");
        Proc.Result ok = run(check, "TALLY_PROC_DIR=" + tmp.resolve("proc"), "TALLY_TOMCAT_PID=4242");
        assertEquals(0, ok.status(), ok.output());
        assertTrue(ok.output().contains("runs with open files 65536 (hard 524288)"), ok.output());
        assertFalse(ok.output().contains("WARNING"), ok.output());

        Files.writeString(
                proc.resolve("limits"),
                header + "Max open files            4096                 4096                 files     \n");
        Proc.Result low = run(check, "TALLY_PROC_DIR=" + tmp.resolve("proc"), "TALLY_TOMCAT_PID=4242");
        assertEquals(0, low.status(), "it reports, it never fails a deployment");
        assertTrue(low.output().contains("WARNING") && low.output().contains("4096"), low.output());

        Proc.Result none = run(check, "TALLY_PROC_DIR=" + tmp.resolve("proc"), "TALLY_TOMCAT_PID=999999");
        assertEquals(0, none.status());
        assertTrue(none.output().contains("no running"), none.output());
    }
}
