package io.tally.scoreboard.store;

import io.tally.json.Json;
import io.tally.json.JsonWriter;
import io.tally.redis.RedisTarget;
import io.tally.scoreboard.game.Game;
import io.tally.scoreboard.game.GameJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Games in Redis, shared by every instance. Four keys under one hash tag ({@code {games}}), so in
 * cluster mode they share a slot and the Lua scripts below may touch all of them atomically:
 * {@code PREFIX:{games}:version} (hash id → version), {@code PREFIX:{games}:state} (hash id → game
 * JSON) and {@code PREFIX:{games}:index} (sorted set of ids by creation time), plus
 * {@code PREFIX:{games}:applied} (hash id → the game's last idempotency keys with the version each
 * produced; absent for games never written with a key). A scoreboard's data is
 * small, so keeping it on one shard costs nothing and buys atomic compare-and-set. The restore after
 * a data loss ({@link RecoveringGameStore}) adds {@code PREFIX:{games}:dataset} (the store's epoch),
 * {@code :windowed} (the last epoch that had a restore window) and {@code :restoring} (the open
 * window: a hash of the games offered in it, expiring when it closes). A game created under an
 * idempotency key leaves {@code PREFIX:{games}:created:KEY} (its id, expiring with the key's answer).
 */
public final class RedisGameStore implements GameStore {
    /*
     * A new game; with a creating write's name (ARGV[5]), KEYS[4] records which game it made, for
     * ARGV[6] ms: a retry of that write finds the record and gets the first game's id, not a second game.
     */
    private static final String CREATE = """
            if ARGV[5] ~= '' then
              local earlier = redis.call('GET', KEYS[4])
              if earlier then return earlier end
            end
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
            redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
            if ARGV[5] ~= '' then redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[6]) end
            return 1""";
    /*
     * Compare-and-set on the version: the optimistic lock that makes two instances never lose an
     * update. A game being restored (KEYS[3]) is not changed until the restore window closes. KEYS[4]
     * holds each game's recorded writes ("key:version ...", oldest first): a write already recorded
     * (ARGV[5]) is not applied again; ARGV[6] is a write to forget (taken back). Same script, same
     * slot, so "applied" and "recorded" can never disagree, whatever happens to the reply.
     */
    private static final String REPLACE = """
            if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then return {0, redis.call('PTTL', KEYS[3])} end
            if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
            local kept = {}
            local writes = redis.call('HGET', KEYS[4], ARGV[1])
            if writes then
              for w in string.gmatch(writes, '%S+') do
                if ARGV[5] ~= '' and string.sub(w, 1, #ARGV[5] + 1) == ARGV[5] .. ':' then return 0 end
                if ARGV[6] == '' or string.sub(w, 1, #ARGV[6] + 1) ~= ARGV[6] .. ':' then kept[#kept + 1] = w end
              end
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
            if ARGV[5] ~= '' then kept[#kept + 1] = ARGV[5] .. ':' .. ARGV[3] end
            local from = math.max(1, #kept - tonumber(ARGV[7]) + 1)
            if #kept == 0 then redis.call('HDEL', KEYS[4], ARGV[1])
            elseif writes or ARGV[5] ~= '' then redis.call('HSET', KEYS[4], ARGV[1], table.concat(kept, ' ', from)) end
            return 1""";
    // A game, whether it is being restored, the restore window's time left (-2: none), the store's epoch.
    private static final String READ = """
            return {redis.call('HGET', KEYS[1], ARGV[1]), redis.call('HEXISTS', KEYS[2], ARGV[1]),
                    redis.call('PTTL', KEYS[2]), redis.call('GET', KEYS[3]), redis.call('HGET', KEYS[4], ARGV[1])}""";
    /*
     * The store's epoch (created if missing) and the restore window's time left. ARGV[1] is the epoch
     * the caller last saw ("" if none): if it is not the current one, the caller has seen Redis lose
     * its data, and the first such caller opens the current epoch's window (once per epoch: KEYS[2]
     * names the last epoch that had one). An instance that never saw an epoch (a first start) opens
     * none: it has nothing to restore.
     */
    private static final String CHECK = """
            local e = redis.call('GET', KEYS[1])
            if not e then
              e = ARGV[2]
              redis.call('SET', KEYS[1], e)
            end
            if ARGV[1] ~= '' and ARGV[1] ~= e and redis.call('GET', KEYS[2]) ~= e then
              redis.call('SET', KEYS[2], e)
              redis.call('DEL', KEYS[3])
              redis.call('HSET', KEYS[3], '.epoch', e)
              redis.call('PEXPIRE', KEYS[3], ARGV[3])
            end
            local left = -2
            if redis.call('HGET', KEYS[3], '.epoch') == e then left = redis.call('PTTL', KEYS[3]) end
            return {e, left}""";
    /*
     * One instance's copy of a game, offered while the window of the epoch it saw (ARGV[5]) is open.
     * The highest version wins; the game stays locked until the window closes. Returns 1 stored,
     * 0 Redis has a newer one, 2 Redis has the same version with other content (divergent histories:
     * kept, reported), -1 too late (window closed, or another epoch).
     */
    private static final String OFFER = """
            if redis.call('GET', KEYS[4]) ~= ARGV[5] or redis.call('HGET', KEYS[5], '.epoch') ~= ARGV[5] then return -1 end
            redis.call('HSET', KEYS[5], ARGV[1], '1')
            local v = redis.call('HGET', KEYS[1], ARGV[1])
            if v and tonumber(v) > tonumber(ARGV[2]) then return 0 end
            if v and tonumber(v) == tonumber(ARGV[2]) then
              if redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[3] then return 0 end
              return 2
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
            redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
            if ARGV[6] ~= '' then redis.call('HSET', KEYS[6], ARGV[1], ARGV[6]) else redis.call('HDEL', KEYS[6], ARGV[1]) end
            return 1""";

    /** A game as read with the restore state: {@code locked} while it is being restored. */
    record Read(Game game, boolean locked, long windowLeftMillis, String epoch, String writes) {}

    /** The store's epoch and how long its restore window stays open (0 or less: closed). */
    record Check(String epoch, long windowLeftMillis) {}

    enum Offer {
        STORED,
        OLDER,
        DIVERGENT,
        LATE
    }

    private final UnifiedJedis redis;
    private final RedisTarget endpoint;
    private final String versions;
    private final String states;
    private final String index;
    private final String epoch;
    private final String windowed;
    private final String restoring;
    private final String applied;
    private final String createdBy;
    private final int maxJsonDepth;

    public RedisGameStore(UnifiedJedis redis, RedisTarget endpoint, String prefix) {
        this.redis = redis;
        this.endpoint = endpoint;
        this.versions = prefix + ":{games}:version";
        this.states = prefix + ":{games}:state";
        this.index = prefix + ":{games}:index";
        // Not ":epoch": that is the broker's key for the history of the room named "games".
        this.epoch = prefix + ":{games}:dataset";
        this.windowed = prefix + ":{games}:windowed";
        this.restoring = prefix + ":{games}:restoring";
        this.applied = prefix + ":{games}:applied";
        this.createdBy = prefix + ":{games}:created:";
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
    public String create(Game game, String record, Duration keep) {
        long createdMillis = Instant.parse(game.created()).toEpochMilli();
        Object r = call(() -> redis.eval(
                CREATE,
                List.of(versions, states, index, createdBy + (record == null ? "" : record)),
                List.of(
                        game.id(),
                        Long.toString(game.version()),
                        encode(game),
                        Long.toString(createdMillis),
                        record == null ? "" : record,
                        Long.toString(Math.max(1, keep.toMillis())))));
        if (r instanceof byte[] b) return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        if (r instanceof String earlier) return earlier;
        return Long.valueOf(1).equals(r) ? game.id() : null;
    }

    /** @throws StoreRestoringException while the game is being restored */
    @Override
    public boolean replace(long expectedVersion, Game next, String record, String forget) {
        Object r = call(() -> redis.eval(
                REPLACE,
                List.of(versions, states, restoring, applied),
                List.of(
                        next.id(),
                        Long.toString(expectedVersion),
                        Long.toString(next.version()),
                        encode(next),
                        record == null ? "" : record,
                        forget == null ? "" : forget,
                        Integer.toString(APPLIED_KEEP))));
        if (r instanceof List<?> locked) throw restoring(next.id(), number(locked.get(1)));
        return Long.valueOf(1).equals(r);
    }

    @Override
    public OptionalLong applied(String id, String key) {
        String writes = call(() -> redis.hget(applied, id));
        if (writes == null) return OptionalLong.empty();
        for (String w : writes.split(" ")) {
            if (w.startsWith(key + ":")) return OptionalLong.of(Long.parseLong(w.substring(key.length() + 1)));
        }
        return OptionalLong.empty();
    }

    Read read(String id) {
        List<?> r = (List<?>) call(() -> redis.eval(READ, List.of(states, restoring, epoch, applied), List.of(id)));
        String json = (String) r.get(0);
        String writes = r.size() > 4 && r.get(4) instanceof String w ? w : "";
        return new Read(
                json == null ? null : decode(json), number(r.get(1)) == 1, number(r.get(2)), (String) r.get(3), writes);
    }

    /** See {@link #CHECK}: {@code known} is the epoch this instance last saw, or null. */
    Check check(String known, String fresh, long windowMillis) {
        List<?> r = (List<?>) call(() -> redis.eval(
                CHECK,
                List.of(epoch, windowed, restoring),
                List.of(known == null ? "" : known, fresh, Long.toString(windowMillis))));
        return new Check((String) r.get(0), number(r.get(1)));
    }

    /** Offers this instance's copy of a game to the restore window of {@code epochSeen}. */
    Offer offer(Game game, String epochSeen, String writes) {
        long createdMillis = Instant.parse(game.created()).toEpochMilli();
        Object r = call(() -> redis.eval(
                OFFER,
                List.of(versions, states, index, epoch, restoring, applied),
                List.of(
                        game.id(),
                        Long.toString(game.version()),
                        encode(game),
                        Long.toString(createdMillis),
                        epochSeen,
                        writes == null ? "" : writes)));
        return switch ((int) number(r)) {
            case 1 -> Offer.STORED;
            case 0 -> Offer.OLDER;
            case 2 -> Offer.DIVERGENT;
            default -> Offer.LATE;
        };
    }

    /** The recorded writes after a replace, as {@link #REPLACE} computes them (for this instance's copy). */
    static String recorded(String writes, String record, String forget, long version) {
        List<String> kept = new ArrayList<>();
        if (writes != null) {
            for (String w : writes.split(" ")) {
                if (!w.isEmpty() && (forget == null || !w.startsWith(forget + ":"))) kept.add(w);
            }
        }
        if (record != null) kept.add(record + ":" + version);
        return String.join(" ", kept.subList(Math.max(0, kept.size() - APPLIED_KEEP), kept.size()));
    }

    static StoreRestoringException restoring(String id, long leftMillis) {
        return new StoreRestoringException("game " + id + " is being restored after Redis lost its data", leftMillis);
    }

    private static long number(Object o) {
        return o instanceof Long l ? l : -2;
    }

    @Override
    public StoreHealth health() {
        try {
            long n = redis.hlen(versions);
            // No host names here: the status endpoint is public.
            return new StoreHealth(
                    true, mode(), (n == 1 ? "1 game" : n + " games") + " in Redis" + (endpoint.tls() ? " (TLS)" : ""));
        } catch (JedisException e) {
            return new StoreHealth(
                    false, mode(), "Redis unreachable (" + e.getClass().getSimpleName() + ")");
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
            throw new StoreUnavailableException(
                    "Redis is unavailable: " + e.getClass().getSimpleName(), e);
        }
    }
}
