package io.tally.realtime.broker.redis;

import io.tally.redis.RedisTarget;
import java.time.Duration;
import java.util.HashSet;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The pooled command client: {@link JedisPooled} for one Redis, {@link JedisCluster} for a cluster.
 * Made on first use, and again after a failed attempt, because a cluster client must reach a node to
 * learn the slot map: an instance that starts during a Redis outage starts degraded, not broken.
 */
final class RedisClients implements AutoCloseable {
    private final RedisTarget target;
    private final JedisClientConfig config;
    private final int timeoutMillis;
    private UnifiedJedis client;
    private ClusterConnectionProvider provider;
    private boolean closed;

    RedisClients(RedisTarget target, JedisClientConfig config, int timeoutMillis) {
        this.target = target;
        this.config = config;
        this.timeoutMillis = timeoutMillis;
    }

    synchronized UnifiedJedis client() {
        if (closed) throw new JedisException("closed");
        if (client == null) {
            ConnectionPoolConfig pool = new ConnectionPoolConfig();
            pool.setMaxTotal(32);
            pool.setMaxIdle(32);
            pool.setMaxWait(Duration.ofMillis(timeoutMillis));
            // A pooled connection may predate a Redis restart; checking it on borrow keeps a publish from
            // failing on a dead socket when Redis is in fact back.
            pool.setTestOnBorrow(true);
            if (target.cluster()) {
                provider = new ClusterConnectionProvider(new HashSet<>(target.hosts()), config, pool);
                client = new JedisCluster(provider, 3, Duration.ofMillis(2L * timeoutMillis));
            } else {
                client = new JedisPooled(target.hosts().get(0), config, pool);
            }
        }
        return client;
    }

    /** The cluster node that serves the channel's (or key's) slot. */
    HostAndPort nodeFor(String channel) {
        client();
        HostAndPort node = provider.getNode(JedisClusterCRC16.getSlot(channel));
        if (node == null) throw new JedisConnectionException("no cluster node serves the slot of " + channel);
        return node;
    }

    /**
     * A channel name, unique to this instance, whose slot lives on {@code node}: a sharded
     * subscription can only hold channels of its own node's slots.
     */
    String controlChannelOn(HostAndPort node, String instance) {
        for (int i = 0; i < 100_000; i++) {
            String channel = "tally:ctl:{" + instance + "." + i + "}";
            if (node.equals(nodeFor(channel))) return channel;
        }
        throw new JedisConnectionException("no slot of " + node + " found");
    }

    /** Whether the slot map (as last refreshed) gives the node any slot. */
    boolean servesAnySlot(HostAndPort node) {
        client();
        for (int slot = 0; slot < Protocol.CLUSTER_HASHSLOTS; slot++) {
            if (node.equals(provider.getNode(slot))) return true;
        }
        return false;
    }

    void refreshTopology() {
        try {
            client();
            provider.renewSlotCache();
        } catch (JedisException e) {
            // the next attempt tries again
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) client.close();
    }
}
