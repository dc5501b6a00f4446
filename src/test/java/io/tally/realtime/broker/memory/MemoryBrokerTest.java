package io.tally.realtime.broker.memory;

import io.tally.realtime.broker.Broker;
import io.tally.realtime.broker.BrokerContract;

class MemoryBrokerTest extends BrokerContract {
    @Override
    protected Broker newBroker() {
        return new MemoryBroker(50);
    }
}
