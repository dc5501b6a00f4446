package io.tally.scoreboard.store;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Where the app's Redis is, from {@code REDIS_URL} — the same variable, and the same grammar, as the
 * real-time broker reads: {@code redis[s]://[[user]:password@]host[:port][,host:port...][/db][?cluster=true]}.
 * {@code rediss} is TLS (ElastiCache in-transit encryption); several hosts, {@code ?cluster=true} or
 * {@code REDIS_CLUSTER=true} mean Redis Cluster, the hosts then being seeds. {@link #toString} never
 * shows the password, so it is safe in logs and on the status page.
 */
public record RedisEndpoint(List<HostAndPort> hosts, boolean tls, String user, String password, int database, boolean cluster) {

    public RedisEndpoint {
        hosts = List.copyOf(hosts);
    }

    public static RedisEndpoint parse(String url, boolean cluster) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("REDIS_URL is empty");
        url = url.trim();
        int schemeEnd = url.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException("REDIS_URL must start with redis:// or rediss://");
        }
        String rest = url.substring(schemeEnd + 3);
        int at = rest.lastIndexOf('@');
        String userInfo = at < 0 ? null : rest.substring(0, at);
        String hostPart = at < 0 ? rest : rest.substring(at + 1);
        String query = "";
        int q = hostPart.indexOf('?');
        if (q >= 0) {
            query = hostPart.substring(q + 1);
            hostPart = hostPart.substring(0, q);
        }
        String path = "";
        int slash = hostPart.indexOf('/');
        if (slash >= 0) {
            path = hostPart.substring(slash + 1);
            hostPart = hostPart.substring(0, slash);
        }

        String user = null;
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            // Refused rather than guessed: "x@" is a user to some clients and a password to others.
            if (colon < 0) throw new IllegalArgumentException("REDIS_URL credentials must be user:password@ or :password@");
            user = colon == 0 ? null : decode(userInfo.substring(0, colon));
            password = decode(userInfo.substring(colon + 1));
        }
        List<HostAndPort> hosts = new ArrayList<>();
        for (String h : hostPart.split(",")) if (!h.isBlank()) hosts.add(hostAndPort(h.trim()));
        if (hosts.isEmpty()) throw new IllegalArgumentException("REDIS_URL names no host");
        int db = 0;
        if (!path.isEmpty()) {
            try {
                db = Integer.parseInt(path);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("REDIS_URL path must be a database number, like /0");
            }
        }
        for (String param : query.split("&")) if (param.equalsIgnoreCase("cluster=true")) cluster = true;
        cluster |= hosts.size() > 1;
        if (cluster && db != 0) throw new IllegalArgumentException("REDIS_URL: Redis Cluster has only database 0");
        return new RedisEndpoint(hosts, scheme.equals("rediss"), user, password, db, cluster);
    }

    private static HostAndPort hostAndPort(String h) {
        try {
            URI uri = new URI("redis://" + h);
            if (uri.getHost() == null) throw new IllegalArgumentException("REDIS_URL has a malformed host");
            return new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("REDIS_URL has a malformed host");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** A pooled client; commands fail fast so an unreachable Redis becomes a 503, not a hang. */
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
        return cluster ? new JedisCluster(new LinkedHashSet<>(hosts), config) : new JedisPooled(hosts.get(0), config);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(tls ? "rediss://" : "redis://");
        if (password != null) s.append("***@");
        for (int i = 0; i < hosts.size(); i++) s.append(i == 0 ? "" : ",").append(hosts.get(i));
        if (database != 0) s.append('/').append(database);
        if (cluster) s.append(" (cluster)");
        return s.toString();
    }
}
