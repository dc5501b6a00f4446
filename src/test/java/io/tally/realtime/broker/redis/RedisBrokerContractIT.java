package io.tally.realtime.broker.redis;

import io.tally.realtime.broker.Broker;
import io.tally.realtime.broker.BrokerContract;
import io.tally.redis.RedisTarget;
import io.tally.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The broker contract against a real redis-server. */
class RedisBrokerContractIT extends BrokerContract {
    private RedisServer redis;

    @BeforeAll
    void startRedis() {
        // Small stream nodes so MAXLEN ~ trims at a fine grain, as a busy production stream would.
        redis = RedisServer.start("--stream-node-max-entries", "10");
    }

    @AfterAll
    void stopRedis() {
        redis.close();
    }

    @Override
    protected Broker newBroker() {
        return new RedisBroker(RedisTarget.parse(redis.url(), false), "contract", 20);
    }
}
