package io.tally.standin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.Ports;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in's Redis on its own (the stand-in only starts it when the WAR has a Redis broker). */
class RedisServerIT {
    @TempDir
    Path dir;

    @Test
    void stopsAndStartsAgainOnTheSamePort() throws IOException {
        RedisServer redis = new RedisServer(Ports.free(), dir);
        try {
            redis.start(Duration.ofSeconds(10));
            assertTrue(redis.ping());
            redis.stop();
            assertFalse(redis.isRunning());
            assertThrows(IOException.class, redis::ping);
            redis.start(Duration.ofSeconds(10));
            assertTrue(redis.ping(), "same URL after a restart: " + redis.url());
        } finally {
            redis.stop();
        }
        assertFalse(redis.isRunning());
    }
}
