package io.tally.scoreboard.store;

import io.tally.redis.RedisTarget;
import io.tally.json.Json;
import io.tally.json.JsonWriter;
import io.tally.scoreboard.game.Game;
import io.tally.scoreboard.game.GameJson;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Games in Redis, shared by every instance. Three keys under one hash tag ({@code {games}}), so in
 * cluster mode they share a slot and the Lua scripts below may touch all of them atomically:
 * {@code PREFIX:{games}:version} (hash id → version), {@code PREFIX:{games}:state} (hash id → game
 * JSON) and {@code PREFIX:{games}:index} (sorted set of ids by creation time). A scoreboard's data is
 * small, so keeping it on one shard costs nothing and buys atomic compare-and-set.
 */
public final class RedisGameStore implements GameStore {
    private static final String CREATE = """
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
            redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
            return 1""";
    // Compare-and-set on the version: the optimistic lock that makes two instances never lose an update.
    private static final String REPLACE = """
            if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
            return 1""";

    // Put back a game Redis lost, unless Redis now holds the same or a newer version of it.
    private static final String RESTORE = """
            local v = redis.call('HGET', KEYS[1], ARGV[1])
            if v and tonumber(v) >= tonumber(ARGV[2]) then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
            redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
            return 1""";
    private static final String MARK = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('GET', KEYS[1]) end
            redis.call('SET', KEYS[1], ARGV[1])
            return false""";

    private final UnifiedJedis redis;
    private final RedisTarget endpoint;
    private final String versions;
    private final String states;
    private final String index;
    private final String marker;
    private final int maxJsonDepth;

    public RedisGameStore(UnifiedJedis redis, RedisTarget endpoint, String prefix) {
        this.redis = redis;
        this.endpoint = endpoint;
        this.versions = prefix + ":{games}:version";
        this.states = prefix + ":{games}:state";
        this.index = prefix + ":{games}:index";
        this.marker = prefix + ":{games}:marker";
        this.maxJsonDepth = 16;
    }

    @Override
    public Optional<Game> find(String id) {
        String json = call(() -> redis.hget(states, id));
        return json == null ? Optional.empty() : Optional.of(decode(json));
    }

    @Override
    public List<Game> list(int limit) {
        List<String> ids = call(() -> redis.zrevrange(index, 0, limit - 1L));
        if (ids.isEmpty()) return List.of();
        List<String> jsons = call(() -> redis.hmget(states, ids.toArray(String[]::new)));
        List<Game> games = new ArrayList<>(jsons.size());
        for (String json : jsons) if (json != null) games.add(decode(json));
        return games;
    }

    @Override
    public boolean create(Game game) {
        long createdMillis = Instant.parse(game.created()).toEpochMilli();
        Object r = call(() -> redis.eval(CREATE, List.of(versions, states, index),
                List.of(game.id(), Long.toString(game.version()), encode(game), Long.toString(createdMillis))));
        return Long.valueOf(1).equals(r);
    }

    @Override
    public boolean replace(long expectedVersion, Game next) {
        Object r = call(() -> redis.eval(REPLACE, List.of(versions, states),
                List.of(next.id(), Long.toString(expectedVersion), Long.toString(next.version()), encode(next))));
        return Long.valueOf(1).equals(r);
    }

    /** Stores {@code game} unless Redis holds this or a newer version of it; true if it was stored. */
    boolean restore(Game game) {
        long createdMillis = Instant.parse(game.created()).toEpochMilli();
        Object r = call(() -> redis.eval(RESTORE, List.of(versions, states, index),
                List.of(game.id(), Long.toString(game.version()), encode(game), Long.toString(createdMillis))));
        return Long.valueOf(1).equals(r);
    }

    /**
     * The data set's marker: a random value, so an instance can tell that Redis lost its data
     * (restarted without persistence, flushed, failed over to an empty replica) — the marker is then
     * gone or different. Returns the marker in place, or null if there was none and {@code fresh} was
     * just written.
     */
    String mark(String fresh) {
        Object r = call(() -> redis.eval(MARK, List.of(marker), List.of(fresh)));
        return r instanceof String s ? s : null;
    }

    @Override
    public StoreHealth health() {
        try {
            long n = redis.hlen(versions);
            // No host names here: the status endpoint is public.
            return new StoreHealth(true, mode(), (n == 1 ? "1 game" : n + " games") + " in Redis" + (endpoint.tls() ? " (TLS)" : ""));
        } catch (JedisException e) {
            return new StoreHealth(false, mode(), "Redis unreachable (" + e.getClass().getSimpleName() + ")");
        }
    }

    private String mode() {
        return endpoint.cluster() ? "redis-cluster" : "redis";
    }

    @Override
    public void close() {
        // The connection pool is shared with the idempotency store and closed by its owner.
    }

    private static String encode(Game g) {
        return JsonWriter.write(GameJson.full(g));
    }

    private Game decode(String json) {
        return GameJson.read(Json.parseObject(json, maxJsonDepth));
    }

    static <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (JedisException e) {
            throw new StoreUnavailableException("Redis is unavailable: " + e.getClass().getSimpleName(), e);
        }
    }
}
