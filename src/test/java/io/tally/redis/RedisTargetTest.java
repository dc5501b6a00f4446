package io.tally.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

class RedisTargetTest {

    @Test
    void aPlainUrlIsOneRedisWithoutTls() {
        RedisTarget t = RedisTarget.parse("redis://cache.local:6380", false);
        assertEquals(List.of(new HostAndPort("cache.local", 6380)), t.hosts());
        assertFalse(t.tls());
        assertFalse(t.cluster());
        assertEquals("redis", t.mode());
    }

    @Test
    void thePortDefaultsTo6379() {
        assertEquals(
                6379,
                RedisTarget.parse("redis://cache.local", false).hosts().get(0).getPort());
    }

    @Test
    void redissMeansTlsWithHostNameVerification() {
        RedisTarget t = RedisTarget.parse("rediss://:tok%40en@master.abc.cache.amazonaws.com:6379", false);
        assertTrue(t.tls());
        assertEquals("redis-tls", t.mode());
        JedisClientConfig c = t.clientConfig(2_000, "x");
        assertTrue(c.isSsl());
        assertEquals("HTTPS", c.getSslParameters().getEndpointIdentificationAlgorithm());
        assertEquals("tok@en", c.getPassword());
        assertNull(c.getUser());
    }

    @Test
    void userAndPasswordAreDecoded() {
        JedisClientConfig c =
                RedisTarget.parse("redis://app%2B1:p%3Ass+w@h:1/2", false).clientConfig(2_000, "x");
        assertEquals("app+1", c.getUser());
        assertEquals("p:ss+w", c.getPassword());
        assertEquals(2, c.getDatabase());
        assertEquals(2_000, c.getSocketTimeoutMillis());
        assertEquals(2_000, c.getConnectionTimeoutMillis());
    }

    @Test
    void theDescriptionNeverShowsThePassword() {
        String d = RedisTarget.parse("rediss://app:hunter2@h:6379", false).toString();
        assertFalse(d.contains("hunter2"), d);
        assertEquals("rediss://app:***@h:6379", d);
        assertEquals(
                "redis://***@h:6379",
                RedisTarget.parse("redis://:hunter2@h", false).toString());
    }

    @Test
    void severalHostsOrTheClusterSettingMeanCluster() {
        RedisTarget seeds = RedisTarget.parse("redis://a:7000,b:7001", false);
        assertTrue(seeds.cluster());
        assertEquals(2, seeds.hosts().size());
        assertEquals("redis-cluster", seeds.mode());
        assertTrue(RedisTarget.parse("rediss://cfg.abc.cache.amazonaws.com:6379", true)
                .cluster());
        assertTrue(RedisTarget.parse("redis://cfg:6379?cluster=true", false).cluster());
    }

    @Test
    void malformedUrlsAreRefusedWithoutEchoingSecrets() {
        assertThrows(IllegalArgumentException.class, () -> RedisTarget.parse("http://h", false));
        assertThrows(IllegalArgumentException.class, () -> RedisTarget.parse("redis://", false));
        assertThrows(IllegalArgumentException.class, () -> RedisTarget.parse("redis://a:1,b:2/3", false));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RedisTarget.parse("redis://hunter2@h", false));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RedisTarget.parse("redis://:hunter2@h/x", false));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
}
