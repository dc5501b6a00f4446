package io.tally.scoreboard.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisEndpointTest {
    @Test
    void aPlainUrlHasTheDefaults() {
        RedisEndpoint e = RedisEndpoint.parse("redis://cache.local", false);
        assertEquals(new RedisEndpoint(java.util.List.of(new redis.clients.jedis.HostAndPort("cache.local", 6379)), false, null, null, 0, false), e);
    }

    @Test
    void tlsUserPasswordAndDatabaseAreRead() {
        RedisEndpoint e = RedisEndpoint.parse("rediss://app:s%40cret@master.abc.cache.amazonaws.com:6380/2", false);
        assertTrue(e.tls());
        assertEquals("app", e.user());
        assertEquals("s@cret", e.password());
        assertEquals(6380, e.hosts().get(0).getPort());
        assertEquals(2, e.database());
    }

    @Test
    void aPasswordWithoutUserIsLegacyAuth() {
        RedisEndpoint e = RedisEndpoint.parse("redis://:pw@h:1", false);
        assertNull(e.user());
        assertEquals("pw", e.password());
    }

    @Test
    void thePasswordNeverAppearsInItsDescription() {
        String shown = RedisEndpoint.parse("rediss://app:hunter2@h:6380", true).toString();
        assertFalse(shown.contains("hunter2"), shown);
        assertTrue(shown.contains("cluster"));
    }

    @Test
    void severalHostsOrTheClusterParameterMeanCluster() {
        RedisEndpoint e = RedisEndpoint.parse("redis://127.0.0.1:7000,127.0.0.1:7001", false);
        assertTrue(e.cluster());
        assertEquals(2, e.hosts().size());
        assertTrue(RedisEndpoint.parse("redis://h:7000?cluster=true", false).cluster());
        assertTrue(RedisEndpoint.parse("redis://h:7000/0?cluster=true", false).cluster());
    }

    @Test
    void malformedUrlsAreStartUpErrorsNamingTheSetting() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.parse("http://h", false)).getMessage().contains("REDIS_URL"));
        assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.parse("redis://h/x", false));
        assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.parse("redis://h/1", true));
        assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.parse("redis://ambiguous@h", false));
        assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.parse("redis://", false));
    }
}
