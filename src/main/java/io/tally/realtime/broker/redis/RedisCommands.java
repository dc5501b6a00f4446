package io.tally.realtime.broker.redis;

import io.tally.realtime.Position;
import io.tally.realtime.UnavailableException;
import io.tally.realtime.broker.History;
import io.tally.realtime.broker.HistorySource;
import io.tally.realtime.broker.Message;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * The broker's commands, each one atomic script on the pooled (or cluster) client. Every Redis failure
 * becomes an {@link UnavailableException}; the {@link Health} hears of every success and failure.
 */
final class RedisCommands implements HistorySource {
    private final Supplier<UnifiedJedis> client;
    private final boolean sharded;
    private final int maxLength;
    private final String ttlSeconds;
    private final String origin;
    private final Health health;
    private final SecureRandom random = new SecureRandom();
    private final String publishSha = sha1(Scripts.PUBLISH);
    private final String readSha = sha1(Scripts.READ);

    RedisCommands(
            Supplier<UnifiedJedis> client,
            boolean sharded,
            int maxLength,
            int ttlSeconds,
            String origin,
            Health health) {
        this.client = client;
        this.sharded = sharded;
        this.maxLength = maxLength;
        this.ttlSeconds = Integer.toString(ttlSeconds);
        this.origin = origin.replaceAll("[^A-Za-z0-9_.-]", "_");
        this.health = health;
    }

    Position publish(String room, String payload) {
        return publish(room, payload, origin + "." + randomId());
    }

    /** Publishes once per {@code publishId}: a repeat within a minute returns the first position. */
    Position publish(String room, String payload, String publishId) {
        List<?> r = (List<?>) run(
                Scripts.PUBLISH,
                publishSha,
                List.of(RoomKeys.stream(room), RoomKeys.epoch(room), RoomKeys.receipt(room, publishId)),
                ttlSeconds,
                randomId(),
                Integer.toString(maxLength),
                payload,
                origin,
                RoomKeys.channel(room),
                sharded ? "SPUBLISH" : "PUBLISH");
        return new Position(text(r.get(0)), text(r.get(1)));
    }

    /** Whether the room's history exists (its epoch key); reads nothing else, creates nothing. */
    boolean exists(String room) {
        return attempt(() -> client.get().exists(RoomKeys.epoch(room)));
    }

    @Override
    public Position tip(String room) {
        List<?> r = (List<?>) read(room, randomId(), "", "", "0");
        return new Position(text(r.get(0)), offset(text(r.get(1))));
    }

    @Override
    public History history(String room, Position since, int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1");
        // A valid protocol offset can exceed what a stream id holds (two unsigned 64-bit numbers); no
        // entry of ours ever had it, so it is a position from some other history.
        if (!fitsStreamId(since.offset())) return History.reset(History.EPOCH_CHANGED, tip(room));
        List<?> r = (List<?>) read(room, randomId(), since.epoch(), streamId(since.offset()), Integer.toString(limit));
        Position tip = new Position(text(r.get(0)), offset(text(r.get(1))));
        String reason = text(r.get(2));
        if (!reason.isEmpty()) return History.reset(reason, tip);
        List<?> entries = (List<?>) r.get(3);
        List<Message> messages = new ArrayList<>(entries.size());
        for (Object e : entries) {
            List<?> entry = (List<?>) e;
            List<?> fields = (List<?>) entry.get(1);
            messages.add(new Message(room, new Position(tip.epoch(), text(entry.get(0))), text(fields.get(1))));
        }
        return History.of(messages, tip);
    }

    /** A heartbeat through the same path as messages: proves the subscriber connection still hears its channel. */
    void ping(String controlChannel) {
        attempt(() -> {
            UnifiedJedis c = client.get();
            return c instanceof JedisCluster cluster
                    ? cluster.spublish(controlChannel, "ping")
                    : c.publish(controlChannel, "ping");
        });
    }

    /** Reachability only (every node of a cluster). */
    void probe() {
        attempt(() -> client.get().ping());
    }

    private Object read(String room, String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = ttlSeconds;
        System.arraycopy(args, 0, argv, 1, args.length);
        return run(Scripts.READ, readSha, List.of(RoomKeys.stream(room), RoomKeys.epoch(room)), argv);
    }

    /** Runs a script of another part of the broker (its SHA-1 from {@link #sha1}), with the same error handling. */
    Object script(String script, String sha, List<String> keys, String... args) {
        return run(script, sha, keys, args);
    }

    private Object run(String script, String sha, List<String> keys, String... args) {
        List<String> argv = List.of(args);
        return attempt(() -> {
            UnifiedJedis c = client.get();
            try {
                return c.evalsha(sha, keys, argv);
            } catch (JedisNoScriptException e) {
                // First use on this server (or it restarted and lost its script cache): EVAL caches it again.
                return c.eval(script, keys, argv);
            }
        });
    }

    private <T> T attempt(Supplier<T> command) {
        try {
            T result = command.get();
            health.commandsUp();
            return result;
        } catch (JedisMovedDataException e) {
            throw new UnavailableException("Redis answered MOVED: it is a cluster; set REDIS_CLUSTER=true", e);
        } catch (JedisDataException e) {
            // Redis answered, with an error (OOM, a script error, a read-only replica): not a lost connection.
            throw new UnavailableException("Redis refused the command: " + e.getMessage(), e);
        } catch (JedisException e) {
            health.commandsDown(e);
            throw new UnavailableException("Redis is unreachable: " + Health.describe(e), e);
        }
    }

    /** Random ids name epochs and publishes: short, and unguessable enough never to collide. */
    private String randomId() {
        return Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    }

    /** Redis's form of an offset: "ms-seq" without leading zeros ("0" becomes "0-0"). */
    static String streamId(String offset) {
        int dash = offset.indexOf('-');
        String ms = dash < 0 ? offset : offset.substring(0, dash);
        String seq = dash < 0 ? "0" : offset.substring(dash + 1);
        return strip(ms) + "-" + strip(seq);
    }

    private static final String MAX_U64 = "18446744073709551615";

    static boolean fitsStreamId(String offset) {
        for (String part : streamId(offset).split("-")) {
            if (part.length() > MAX_U64.length() || part.length() == MAX_U64.length() && part.compareTo(MAX_U64) > 0) {
                return false;
            }
        }
        return true;
    }

    /** Our form of a stream id: the empty stream's "0-0" reads as the protocol's "0". */
    static String offset(String streamId) {
        return "0-0".equals(streamId) ? Position.START : streamId;
    }

    private static String strip(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') i++;
        return digits.substring(i);
    }

    private static String text(Object o) {
        if (o instanceof byte[] b) return SafeEncoder.encode(b);
        return String.valueOf(o);
    }

    static String sha1(String script) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(40);
            for (byte b : d) sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
