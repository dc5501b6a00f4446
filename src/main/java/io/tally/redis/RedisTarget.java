package io.tally.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/**
 * Where Redis is and how to log in, parsed from {@code REDIS_URL}, for the real-time broker and the
 * app's store alike (one grammar, one TLS policy):
 * {@code redis[s]://[[user]:password@]host[:port][,host:port...][/db]}. {@code rediss} means TLS
 * (ElastiCache in-transit encryption). Several hosts, or {@code cluster=true}, mean Redis Cluster;
 * the hosts are then only seeds for discovering the cluster. {@link #toString()} never shows the password.
 */
public final class RedisTarget {
    private static final int DEFAULT_PORT = 6379;

    private final List<HostAndPort> hosts;
    private final String user;
    private final String password;
    private final int database;
    private final boolean tls;
    private final boolean cluster;
    private final SSLSocketFactory trust;

    private RedisTarget(
            List<HostAndPort> hosts,
            String user,
            String password,
            int database,
            boolean tls,
            boolean cluster,
            SSLSocketFactory trust) {
        this.hosts = List.copyOf(hosts);
        this.user = user;
        this.password = password;
        this.database = database;
        this.tls = tls;
        this.cluster = cluster;
        this.trust = trust;
    }

    /**
     * @throws IllegalArgumentException when the URL is malformed; the message never contains the password
     */
    public static RedisTarget parse(String url, boolean cluster) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("REDIS_URL is empty");
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) throw new IllegalArgumentException("REDIS_URL must start with redis:// or rediss://");
        String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        boolean tls;
        if (scheme.equals("redis")) tls = false;
        else if (scheme.equals("rediss")) tls = true;
        else throw new IllegalArgumentException("REDIS_URL scheme must be redis or rediss, got '" + scheme + "'");

        String rest = url.substring(schemeEnd + 3);
        int at = rest.lastIndexOf('@');
        String userInfo = at < 0 ? null : rest.substring(0, at);
        String hostPart = at < 0 ? rest : rest.substring(at + 1);
        String path = "";
        int slash = hostPart.indexOf('/');
        if (slash >= 0) {
            path = hostPart.substring(slash + 1);
            hostPart = hostPart.substring(0, slash);
        }
        String query = "";
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        } else if ((q = hostPart.indexOf('?')) >= 0) {
            query = hostPart.substring(q + 1);
            hostPart = hostPart.substring(0, q);
        }

        String user = null;
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            // Refused rather than guessed: "x@" reads as a user to some clients and as a password to others.
            if (colon < 0)
                throw new IllegalArgumentException("REDIS_URL credentials must be user:password@ or :password@");
            String u = userInfo.substring(0, colon);
            user = u.isEmpty() ? null : decode(u);
            password = decode(userInfo.substring(colon + 1));
        }

        List<HostAndPort> hosts = new ArrayList<>();
        for (String h : hostPart.split(",")) {
            if (!h.isBlank()) hosts.add(hostAndPort(h.trim()));
        }
        if (hosts.isEmpty()) throw new IllegalArgumentException("REDIS_URL names no host");

        int database = 0;
        if (!path.isEmpty()) {
            try {
                database = Integer.parseInt(path);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("REDIS_URL path must be a database number, got '" + path + "'");
            }
        }
        for (String param : query.split("&")) {
            if (param.equalsIgnoreCase("cluster=true")) cluster = true;
        }
        cluster |= hosts.size() > 1;
        if (cluster && database != 0) throw new IllegalArgumentException("Redis Cluster has only database 0");
        return new RedisTarget(hosts, user, password, database, tls, cluster, null);
    }

    private static HostAndPort hostAndPort(String h) {
        try {
            URI uri = new URI("redis://" + h);
            if (uri.getHost() == null) throw new IllegalArgumentException("REDIS_URL has a malformed host '" + h + "'");
            return new HostAndPort(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("REDIS_URL has a malformed host '" + h + "'");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * This target, trusting the CA behind {@code factory} instead of the JVM's default trust store (for a
     * private CA; in production, {@code -Djavax.net.ssl.trustStore} does the same without code).
     */
    public RedisTarget trusting(SSLSocketFactory factory) {
        return new RedisTarget(hosts, user, password, database, tls, cluster, factory);
    }

    public List<HostAndPort> hosts() {
        return hosts;
    }

    public boolean tls() {
        return tls;
    }

    public boolean cluster() {
        return cluster;
    }

    public String user() {
        return user;
    }

    public boolean hasPassword() {
        return password != null;
    }

    public int database() {
        return database;
    }

    /** "redis", "redis-tls" or "redis-cluster" (cluster wins: TLS shows in {@link #toString()}). */
    public String mode() {
        return cluster ? "redis-cluster" : tls ? "redis-tls" : "redis";
    }

    /**
     * Jedis settings with bounded timeouts: a command against an unreachable Redis fails within about
     * {@code timeoutMillis} instead of hanging a request thread.
     */
    public JedisClientConfig clientConfig(int timeoutMillis, String clientName) {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .clientName(clientName)
                .database(database)
                .user(user)
                .password(password);
        if (tls) {
            // Check the certificate's host name too, not only its chain: TLS without it stops eavesdroppers, not
            // impostors.
            SSLParameters params = new SSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            b.ssl(true).sslParameters(params);
            if (trust != null) b.sslSocketFactory(trust);
        }
        return b.build();
    }

    /** A pooled command client (a cluster client in cluster mode) with bounded timeouts. */
    public UnifiedJedis connect(int timeoutMillis, String clientName) {
        JedisClientConfig config = clientConfig(timeoutMillis, clientName);
        return cluster ? new JedisCluster(new LinkedHashSet<>(hosts), config) : new JedisPooled(hosts.get(0), config);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(tls ? "rediss://" : "redis://");
        if (user != null) sb.append(user).append(hasPassword() ? ":***" : "").append('@');
        else if (hasPassword()) sb.append("***@");
        for (int i = 0; i < hosts.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(hosts.get(i).getHost()).append(':').append(hosts.get(i).getPort());
        }
        if (database != 0) sb.append('/').append(database);
        if (cluster && hosts.size() == 1) sb.append("?cluster=true");
        return sb.toString();
    }
}
