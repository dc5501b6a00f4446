package io.tally.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Orphans of a stand-in whose JVM vanished are stopped by the next stand-in; live runs are left alone. */
class LeftoversIT {
    @Test
    void reapsOnlyProcessesOfDeadRuns() throws IOException {
        Path root = Files.createDirectories(Path.of("target/leftovers-it").toAbsolutePath());
        // A pid that cannot belong to a live process names the "dead" owner.
        Path dead = Files.createDirectories(root.resolve("run-test-" + Integer.MAX_VALUE));
        Path live = Files.createDirectories(
                root.resolve("run-test-" + ProcessHandle.current().pid()));
        Proc orphan = Proc.start("orphan", List.of("sleep", "300"), dead, Map.of(), dead.resolve("o.log"));
        Proc mine = Proc.start("mine", List.of("sleep", "300"), live, Map.of(), live.resolve("m.log"));
        try {
            Await.until("both running", Duration.ofSeconds(5), () -> orphan.isAlive() && mine.isAlive());
            assertEquals(1, Leftovers.reap(root));
            Await.until("orphan stopped", Duration.ofSeconds(5), () -> !orphan.isAlive());
            assertTrue(mine.isAlive(), "a run whose JVM is alive is never touched");
        } finally {
            orphan.kill();
            mine.kill();
        }
        assertFalse(mine.isAlive());
    }
}
