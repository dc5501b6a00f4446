package io.tally.scoreboard.store;

import static io.tally.scoreboard.store.RedisGameStore.call;

import io.tally.json.Json;
import io.tally.json.JsonWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * Scorer tokens in Redis, shared by every instance, under one hash tag ({@code {scorers}}) so the
 * scripts may touch all keys in cluster mode: {@code PREFIX:{scorers}:digest} (hash digest → scorer
 * JSON), {@code PREFIX:{scorers}:id} (hash scorer id → digest) and {@code PREFIX:{scorers}:game:ID}
 * (set of a game's scorer ids).
 */
public final class RedisScorerStore implements ScorerStore {
    private static final String ADD = """
            if redis.call('SCARD', KEYS[3]) >= tonumber(ARGV[4]) then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
            redis.call('SADD', KEYS[3], ARGV[2])
            return 1""";
    private static final String REMOVE = """
            if redis.call('SISMEMBER', KEYS[3], ARGV[1]) == 0 then return 0 end
            local digest = redis.call('HGET', KEYS[2], ARGV[1])
            if digest then redis.call('HDEL', KEYS[1], digest) end
            redis.call('HDEL', KEYS[2], ARGV[1])
            redis.call('SREM', KEYS[3], ARGV[1])
            return 1""";

    private final UnifiedJedis redis;
    private final String digests;
    private final String ids;
    private final String gamePrefix;

    public RedisScorerStore(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.digests = prefix + ":{scorers}:digest";
        this.ids = prefix + ":{scorers}:id";
        this.gamePrefix = prefix + ":{scorers}:game:";
    }

    @Override
    public boolean add(Scorer scorer, String digest, int max) {
        Object r = call(() -> redis.eval(
                ADD,
                List.of(digests, ids, gamePrefix + scorer.game()),
                List.of(digest, scorer.id(), encode(scorer), Integer.toString(max))));
        return Long.valueOf(1).equals(r);
    }

    @Override
    public Optional<Scorer> findByDigest(String digest) {
        String json = call(() -> redis.hget(digests, digest));
        return json == null ? Optional.empty() : Optional.of(decode(json));
    }

    @Override
    public List<Scorer> list(String game) {
        List<String> members = new ArrayList<>(call(() -> redis.smembers(gamePrefix + game)));
        if (members.isEmpty()) return List.of();
        List<String> found = call(() -> redis.hmget(ids, members.toArray(String[]::new)));
        List<String> keys = found.stream().filter(d -> d != null).toList();
        if (keys.isEmpty()) return List.of();
        List<Scorer> out = new ArrayList<>();
        for (String json : call(() -> redis.hmget(digests, keys.toArray(String[]::new))))
            if (json != null) out.add(decode(json));
        out.sort(Comparator.comparing(Scorer::created));
        return out;
    }

    @Override
    public boolean remove(String game, String scorerId) {
        Object r = call(() -> redis.eval(REMOVE, List.of(digests, ids, gamePrefix + game), List.of(scorerId)));
        return Long.valueOf(1).equals(r);
    }

    @Override
    public void close() {
        // The connection pool is shared with the other stores and closed by its owner.
    }

    private static String encode(Scorer s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("game", s.game());
        m.put("label", s.label());
        m.put("created", s.created());
        return JsonWriter.write(m);
    }

    private static Scorer decode(String json) {
        Map<String, Object> m = Json.parseObject(json, 4);
        return new Scorer(
                (String) m.get("id"), (String) m.get("game"), (String) m.get("label"), (String) m.get("created"));
    }
}
