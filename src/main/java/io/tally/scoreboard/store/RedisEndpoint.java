package io.tally.scoreboard.store;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Where the app's Redis is, parsed from {@code REDIS_URL}: {@code redis://} or {@code rediss://}
 * (TLS, as ElastiCache with in-transit encryption), optional {@code user:password@} (AUTH / ACL) and
 * {@code /db}. {@link #toString} never shows the password, so it is safe in logs and status pages.
 */
public record RedisEndpoint(String host, int port, boolean tls, String user, String password, int database, boolean cluster) {

    public static RedisEndpoint parse(String url, boolean cluster) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (Exception e) {
            throw new IllegalArgumentException("REDIS_URL is not a valid URL (expected redis://host:port or rediss://user:password@host:port)");
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("REDIS_URL must start with redis:// or rediss://");
        }
        if (uri.getHost() == null) throw new IllegalArgumentException("REDIS_URL has no host");
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            if (colon < 0) {
                password = decode(info);
            } else {
                user = colon == 0 ? null : decode(info.substring(0, colon));
                password = decode(info.substring(colon + 1));
            }
        }
        int db = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                db = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("REDIS_URL path must be a database number, like /0");
            }
        }
        if (cluster && db != 0) throw new IllegalArgumentException("REDIS_URL: cluster mode has only database 0");
        return new RedisEndpoint(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), "rediss".equals(scheme), user, password, db, cluster);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** A pooled client; commands fail fast (a few seconds) so an unreachable Redis becomes a 503, not a hang. */
    public UnifiedJedis connect(int timeoutMillis) {
        JedisClientConfig config = DefaultJedisClientConfig.builder()
                .user(user)
                .password(password)
                .database(database)
                .ssl(tls)
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .clientName("tally-app")
                .build();
        HostAndPort node = new HostAndPort(host, port);
        return cluster ? new JedisCluster(Set.of(node), config) : new JedisPooled(node, config);
    }

    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + (password != null ? "***@" : "") + host + ":" + port
                + (database != 0 ? "/" + database : "") + (cluster ? " (cluster)" : "");
    }
}
