package io.tally.realtime.broker.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Viewer counts across instances, in Redis: each instance keeps one hash of its own counts (room →
 * viewers) that expires unless refreshed, and a sorted set names the instances alive (scored by the
 * expiry of their hash, on Redis's own clock). One script per report writes what changed and sums
 * every live instance's counts for the rooms asked: one command per instance per interval, however
 * many viewers come and go. A dead instance's hash expires; a hash lost with a Redis restart (or
 * expired during an outage) is noticed by the script, and the next report writes it whole.
 */
final class RedisCounts {
    /** One hash tag, so every key is in one cluster slot and one script may touch them all. */
    private static final String PREFIX = "tally:{~audience}:";

    static final String REGISTRY = PREFIX + "instances";

    static final String REPORT = """
            local reg, mine, prefix = KEYS[1], KEYS[2], ARGV[1]
            local id, ttl, full = ARGV[2], tonumber(ARGV[3]), ARGV[4] == '1'
            if not full and redis.call('EXISTS', mine) == 0 then return {'again'} end
            if full then redis.call('DEL', mine) end
            local n, i = tonumber(ARGV[5]), 6
            for _ = 1, n do
              if ARGV[i + 1] == '0' then redis.call('HDEL', mine, ARGV[i]) else redis.call('HSET', mine, ARGV[i], ARGV[i + 1]) end
              i = i + 2
            end
            redis.call('HSET', mine, '', '1')
            redis.call('PEXPIRE', mine, ttl)
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZADD', reg, now + ttl, id)
            redis.call('ZREMRANGEBYSCORE', reg, '-inf', now)
            redis.call('PEXPIRE', reg, ttl)
            local rooms = {}
            for j = i, #ARGV do rooms[#rooms + 1] = ARGV[j] end
            local totals = {}
            for k = 1, #rooms do totals[k] = 0 end
            for _, other in ipairs(redis.call('ZRANGE', reg, 0, -1)) do
              for from = 1, #rooms, 500 do
                local part = redis.call('HMGET', prefix .. other, unpack(rooms, from, math.min(#rooms, from + 499)))
                for k, v in ipairs(part) do
                  if v then totals[from + k - 1] = totals[from + k - 1] + tonumber(v) end
                end
              end
            end
            return totals
            """;
    private static final String REPORT_SHA = RedisCommands.sha1(REPORT);

    private final RedisCommands commands;
    private final String instance;
    private final String ttlMillis;
    private boolean whole = true; // the next report writes every count (first, or after a failure); guarded by this

    RedisCounts(RedisCommands commands, String instance, long ttlMillis) {
        this.commands = commands;
        this.instance = instance;
        this.ttlMillis = Long.toString(ttlMillis);
    }

    static String hashOf(String instance) {
        return PREFIX + "of:" + instance;
    }

    synchronized Map<String, Long> exchange(Map<String, Long> local, Map<String, Long> changed) {
        Object r = report(whole ? local : changed, whole, local);
        if (r instanceof List<?> l && !l.isEmpty() && !(l.get(0) instanceof Long)) {
            r = report(local, true, local); // our hash was lost: write it whole
        }
        whole = false;
        List<?> totals = (List<?>) r;
        Map<String, Long> out = new LinkedHashMap<>();
        int k = 0;
        for (String room : local.keySet()) out.put(room, (Long) totals.get(k++));
        return out;
    }

    private Object report(Map<String, Long> counts, boolean full, Map<String, Long> rooms) {
        List<String> args = new ArrayList<>(5 + counts.size() * 2 + rooms.size());
        args.add(PREFIX + "of:");
        args.add(instance);
        args.add(ttlMillis);
        args.add(full ? "1" : "0");
        args.add(Integer.toString(counts.size()));
        counts.forEach((room, n) -> {
            args.add(room);
            args.add(Long.toString(n));
        });
        args.addAll(rooms.keySet());
        try {
            return commands.script(
                    REPORT, REPORT_SHA, List.of(REGISTRY, hashOf(instance)), args.toArray(String[]::new));
        } catch (RuntimeException e) {
            whole = true; // what Redis holds of ours is unknown now
            throw e;
        }
    }
}
