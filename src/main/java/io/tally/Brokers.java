package io.tally;

import io.tally.realtime.RealtimeConfig;
import io.tally.realtime.broker.Broker;
import io.tally.realtime.broker.memory.MemoryBroker;
import io.tally.realtime.broker.redis.RedisBroker;

/** Chooses the broker the configuration asks for: Redis when {@code REDIS_URL} is set, else in-memory. */
public final class Brokers {
    private Brokers() {}

    public static Broker create(RealtimeConfig config) {
        if (config.redisUrl() != null) return new RedisBroker(config);
        return new MemoryBroker(config.historySize(), config.roomTtlSeconds() * 1000L, System::nanoTime);
    }
}
