package io.tally.realtime;

import io.tally.realtime.broker.Broker;
import io.tally.realtime.broker.memory.MemoryBroker;
import io.tally.realtime.broker.redis.RedisBroker;

/** Chooses the broker the configuration asks for. */
final class Brokers {
    private Brokers() {
    }

    static Broker create(RealtimeConfig config) {
        if (config.redisUrl() != null) return new RedisBroker(config);
        return new MemoryBroker(config.historySize(), config.roomTtlSeconds() * 1000L, System::nanoTime);
    }
}
