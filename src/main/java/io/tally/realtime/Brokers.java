package io.tally.realtime;

import io.tally.realtime.broker.Broker;
import io.tally.realtime.broker.memory.MemoryBroker;

/** Chooses the broker the configuration asks for. */
final class Brokers {
    private Brokers() {
    }

    static Broker create(RealtimeConfig config) {
        if (config.redisUrl() != null) {
            throw new IllegalStateException("REDIS_URL is set but the Redis broker is not built into this version");
        }
        return new MemoryBroker(config.historySize());
    }
}
