package io.tally.realtime.broker.memory;

import io.tally.realtime.Position;
import io.tally.realtime.broker.Broker;
import io.tally.realtime.broker.BrokerContract;
import io.tally.realtime.broker.BrokerListener;
import io.tally.realtime.broker.Message;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryBrokerTest extends BrokerContract {
    @Override
    protected Broker newBroker() {
        return new MemoryBroker(50);
    }

    @Test
    void publishReturnsWhileTheFanOutIsStillBusyAndDeliveryKeepsPublishOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (MemoryBroker slow = new MemoryBroker(50)) {
            slow.start(new BrokerListener() {
                @Override
                public void onMessage(Message message) {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    seen.add(message.payload());
                }

                @Override
                public void onReset(String room, String reason, Position tip) {
                }
            });
            slow.watch("game-1");
            // The listener blocks until released: publishes return all the same (the old broker
            // delivered inside publish, so this loop would wait on the first message).
            for (int i = 1; i <= 20; i++) assertEquals(Long.toString(i), slow.publish("game-1", json(i)).offset());
            assertTrue(seen.isEmpty());
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < 20 && System.nanoTime() < deadline) Thread.sleep(5);
            for (int i = 1; i <= 20; i++) assertEquals(json(i), seen.get(i - 1));
        }
    }
}
