package io.tally.realtime.broker.redis;

/**
 * The Lua run inside Redis. Every script takes {@code KEYS = [stream, epoch]} of one room and first
 * makes sure the room's history is whole: the stream and the epoch key live and die together. If
 * either is missing (a new room, a restart without persistence, an eviction), both are recreated with
 * the fresh epoch the caller passes in, so an old position can never be read against a new stream.
 * Both keys expire {@code ttl} seconds (ARGV[1] of every script) after the room's last publish, or
 * after its creation by a read: an idle room's history goes, and a later reader gets a new epoch.
 */
final class Scripts {
    private Scripts() {}

    private static final String PRELUDE = """
            local function ensure(fresh)
              local epoch = redis.call('GET', KEYS[2])
              if epoch and redis.call('EXISTS', KEYS[1]) == 1 then return epoch end
              redis.call('DEL', KEYS[1])
              -- MKSTREAM creates an empty stream whose trim markers are all 0-0 (an XADD+XDEL would not)
              redis.call('XGROUP', 'CREATE', KEYS[1], 'tally-init', '$', 'MKSTREAM')
              redis.call('XGROUP', 'DESTROY', KEYS[1], 'tally-init')
              redis.call('SET', KEYS[2], fresh)
              redis.call('EXPIRE', KEYS[1], ARGV[1])
              redis.call('EXPIRE', KEYS[2], ARGV[1])
              return fresh
            end
            local function dec(a, b)
              if #a ~= #b then return #a < #b and -1 or 1 end
              if a == b then return 0 end
              return a < b and -1 or 1
            end
            -- stream ids "ms-seq" without leading zeros, compared numerically
            local function cmp(a, b)
              local am, as = string.match(a, '^(%d+)-(%d+)$')
              local bm, bs = string.match(b, '^(%d+)-(%d+)$')
              local c = dec(am, bm)
              if c ~= 0 then return c end
              return dec(as, bs)
            end
            """;

    /**
     * KEYS[3]: this publish's receipt. ARGV: ttl, fresh epoch, max length, payload, origin instance,
     * channel, publish command (PUBLISH or SPUBLISH). Appends and fans out in one atomic step, so channel order is
     * stream order. The channel message names the entry before it, so a subscriber sees when pub/sub dropped one
     * (a node failing over or a slot moving drops messages silently). Returns {epoch, id}.
     *
     * <p>The receipt makes a retried publish (the cluster client retries when a connection fails, and the
     * first attempt may have run) answer the first attempt's position instead of appending twice.
     */
    static final String PUBLISH = PRELUDE + """
            local receipt = redis.call('GET', KEYS[3])
            if receipt then
              local sep = string.find(receipt, ' ', 1, true)
              return {string.sub(receipt, 1, sep - 1), string.sub(receipt, sep + 1)}
            end
            local epoch = ensure(ARGV[2])
            local before = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
            local previous = ''
            if before[1] then previous = ' ' .. before[1][1] end
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'd', ARGV[4])
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('EXPIRE', KEYS[2], ARGV[1])
            redis.call(ARGV[7], ARGV[6], epoch .. '\\n' .. id .. '\\n' .. ARGV[5] .. previous .. '\\n' .. ARGV[4])
            redis.call('SET', KEYS[3], epoch .. ' ' .. id, 'EX', 60)
            return {epoch, id}
            """;

    /**
     * ARGV: ttl, fresh epoch, since epoch ("" for the tip only), since offset ("ms-seq"), limit.
     * Returns {epoch, last id} for the tip; otherwise {epoch, last id, reset reason or "", entries}.
     *
     * <p>A gap means some entry after {@code since} is gone. XDEL records the highest deleted id; trimming
     * (MAXLEN ~) only moves the first entry, so any {@code since} before the first retained entry is
     * treated as a gap once anything was trimmed. That is exact except for a reader standing on the very
     * last trimmed entry, who gets a reset it did not strictly need: a false alarm, never a silent gap.
     */
    static final String READ = PRELUDE + """
            local epoch = ensure(ARGV[2])
            local info = redis.call('XINFO', 'STREAM', KEYS[1])
            local f = {}
            for i = 1, #info, 2 do f[info[i]] = info[i + 1] end
            local last = f['last-generated-id']
            if ARGV[3] == '' then return {epoch, last} end
            if ARGV[3] ~= epoch then return {epoch, last, 'epoch-changed', {}} end
            local since = ARGV[4]
            if cmp(since, last) > 0 then return {epoch, last, 'epoch-changed', {}} end
            local gap = cmp(since, f['max-deleted-entry-id']) < 0
            if not gap and f['entries-added'] > f['length'] then
              local first = f['first-entry']
              if first then gap = cmp(since, first[1]) < 0 else gap = cmp(since, last) < 0 end
            end
            if gap then return {epoch, last, 'history-trimmed', {}} end
            return {epoch, last, '', redis.call('XRANGE', KEYS[1], '(' .. since, '+', 'COUNT', ARGV[5])}
            """;
}
