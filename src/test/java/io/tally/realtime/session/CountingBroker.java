package io.tally.realtime.session;

import io.tally.realtime.Position;
import io.tally.realtime.UnavailableException;
import io.tally.realtime.broker.Broker;
import io.tally.realtime.broker.BrokerListener;
import io.tally.realtime.broker.BrokerStatus;
import io.tally.realtime.broker.History;
import io.tally.realtime.broker.memory.MemoryBroker;
import java.util.concurrent.atomic.AtomicInteger;

/** The memory broker, counting history reads, watches and unwatches; it can refuse watches (Redis down). */
class CountingBroker implements Broker {
    final MemoryBroker inner = new MemoryBroker(100);
    final AtomicInteger historyReads = new AtomicInteger();
    final AtomicInteger watches = new AtomicInteger();
    final AtomicInteger unwatches = new AtomicInteger();
    volatile boolean refuseWatches;

    @Override
    public void start(BrokerListener listener) {
        inner.start(listener);
    }

    @Override
    public Position publish(String room, String payload) {
        return inner.publish(room, payload);
    }

    @Override
    public History history(String room, Position since, int limit) {
        historyReads.incrementAndGet();
        return inner.history(room, since, limit);
    }

    @Override
    public Position tip(String room) {
        return inner.tip(room);
    }

    @Override
    public boolean exists(String room) {
        return inner.exists(room);
    }

    @Override
    public void watch(String room) {
        if (refuseWatches) throw new UnavailableException("the broker cannot watch " + room + " now");
        watches.incrementAndGet();
        inner.watch(room);
    }

    @Override
    public void unwatch(String room) {
        unwatches.incrementAndGet();
        inner.unwatch(room);
    }

    @Override
    public BrokerStatus status() {
        return inner.status();
    }

    @Override
    public final void close() {
        inner.close();
    }
}
