package io.tally.realtime.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.realtime.Position;
import io.tally.realtime.UnavailableException;
import io.tally.realtime.broker.BrokerStatus;
import io.tally.realtime.broker.History;
import io.tally.realtime.broker.RecordingListener;
import io.tally.redis.RedisTarget;
import io.tally.testing.Await;
import io.tally.testing.RedisServer;
import io.tally.testing.TcpRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** Several Tally instances (brokers) on one real Redis, through connection drops and Redis crashes. */
class RedisBrokerIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PASSWORD = "s3cret-pw";

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
    }

    private RedisServer redis(String... args) {
        RedisServer r = RedisServer.start(args);
        toClose.add(r);
        return r;
    }

    private RedisBroker broker(String url, String instance, RecordingListener listener) {
        RedisBroker b = new RedisBroker(RedisTarget.parse(url, false), instance, 10_000);
        toClose.add(b);
        b.start(listener);
        return b;
    }

    private static String room() {
        return "game-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String json(int n) {
        return "{\"n\":" + n + "}";
    }

    @Test
    void aScorePublishedOnOneInstanceReachesListenersOnEveryInstance() {
        RedisServer redis = redis();
        RecordingListener onA = new RecordingListener();
        RecordingListener onB = new RecordingListener();
        RedisBroker a = broker(redis.url(), "a", onA);
        RedisBroker b = broker(redis.url(), "b", onB);
        String room = room();
        a.watch(room);
        b.watch(room);
        Position p = a.publish(room, json(1));
        onB.awaitCount(room, 1, WAIT);
        onA.awaitCount(room, 1, WAIT);
        assertEquals(p, onB.messages(room).get(0).position());
        // history written on A is readable on B: a client can resume anywhere
        assertEquals(
                List.of(json(1)),
                b.history(room, new Position(p.epoch(), "0"), 10).messages().stream()
                        .map(m -> m.payload())
                        .toList());
    }

    @Test
    void droppedSubscriberConnectionsAreBackFilledWithoutGapsOrDuplicates() throws Exception {
        RedisServer redis = redis();
        RecordingListener onB = new RecordingListener();
        RedisBroker a = broker(redis.url(), "a", new RecordingListener());
        RedisBroker b = broker(redis.url(), "b", onB);
        String room = room();
        b.watch(room);
        Publisher publisher = new Publisher(a, room);
        publisher.start();
        for (int kill = 1; kill <= 3; kill++) {
            int target = kill * 100;
            Await.until(WAIT, () -> publisher.acked().size() >= target, () -> "publishing stalled");
            redis.command("CLIENT", "KILL", "TYPE", "pubsub");
        }
        Await.until(WAIT, () -> publisher.acked().size() >= 400, () -> "publishing stalled");
        publisher.stop();

        List<String> expected =
                publisher.acked().stream().map(RedisBrokerIT::json).toList();
        onB.awaitCount(room, expected.size(), WAIT);
        assertEquals(List.of(), publisher.failed());
        assertEquals(expected, onB.payloads(room));
        assertEquals(List.of(), onB.resets(room));
        assertEquals(List.of(), onB.overlaps());
        Await.until(WAIT, () -> b.status().reconnects() >= 1 && b.status().available(), () -> b.status()
                .toString());
    }

    @Test
    void redisKilledMidStreamRefusesPublishesThenDeliversEveryAcknowledgedMessageOnceInOrder() throws Exception {
        RedisServer redis = redis("--requirepass", PASSWORD);
        String url = "redis://:" + PASSWORD + "@127.0.0.1:" + redis.port();
        RecordingListener onB = new RecordingListener();
        RedisBroker a = broker(url, "a", new RecordingListener());
        RedisBroker b = broker(url, "b", onB);
        String room = room();
        b.watch(room);
        Position before = a.tip(room);

        Publisher publisher = new Publisher(a, room);
        publisher.start();
        Await.until(WAIT, () -> publisher.acked().size() >= 50, () -> "publishing stalled");
        redis.kill9();
        Await.until(WAIT, () -> publisher.failed().size() >= 3, () -> "publishes during the outage did not fail");
        Await.until(WAIT, () -> !b.status().available(), () -> "B still reports " + b.status());
        BrokerStatus down = b.status();
        assertFalse(down.detail().contains(PASSWORD), down.detail());
        assertTrue(down.detail().contains("127.0.0.1:" + redis.port()), down.detail());
        assertTrue(
                publisher.slowestFailureMillis() < 3_000,
                "a refused publish took " + publisher.slowestFailureMillis() + " ms");

        redis.restart();
        int firstFailed = publisher.failed().get(0);
        Await.until(
                WAIT,
                () -> publisher.acked().stream().filter(n -> n > firstFailed).count() >= 50,
                () -> "no publishing after restart");
        publisher.stop();

        List<Integer> preKill =
                publisher.acked().stream().filter(n -> n < firstFailed).toList();
        List<Integer> postRestart =
                publisher.acked().stream().filter(n -> n > firstFailed).toList();
        Await.until(
                WAIT,
                () -> onB.payloads(room)
                        .containsAll(
                                postRestart.stream().map(RedisBrokerIT::json).toList()),
                () -> "B misses messages published after the restart: " + onB.events(room));

        // Redis lost everything (no persistence): B learns the history restarted, then gets all of the new one.
        List<String> events = onB.events(room);
        int reset = events.indexOf("reset:" + History.EPOCH_CHANGED);
        assertTrue(reset >= 0, "no epoch-changed reset in " + events);
        List<String> deliveredBefore = events.subList(0, reset);
        assertEquals(
                preKill.subList(0, deliveredBefore.size()).stream()
                        .map(RedisBrokerIT::json)
                        .toList(),
                deliveredBefore,
                "before the crash B must have a gap-free prefix of what was acknowledged");
        assertEquals(postRestart.stream().map(RedisBrokerIT::json).toList(), events.subList(reset + 1, events.size()));
        for (int failed : publisher.failed())
            assertFalse(onB.payloads(room).contains(json(failed)), "refused " + failed + " was delivered");
        assertNotEquals(before.epoch(), onB.resets(room).get(0).tip().epoch());
        assertEquals(List.of(), onB.overlaps());
        Await.until(WAIT, () -> b.status().available(), () -> b.status().toString());
        assertTrue(b.status().reconnects() >= 1);
    }

    @Test
    void whileRedisIsDownCallsFailFastAndTheBrokerRecoversWhenItReturns() {
        RedisServer redis = redis();
        RecordingListener listener = new RecordingListener();
        RedisBroker broker = broker(redis.url(), "solo", listener);
        String room = room();
        redis.kill9();

        long t0 = System.nanoTime();
        assertThrows(UnavailableException.class, () -> broker.publish(room, json(1)));
        assertThrows(UnavailableException.class, () -> broker.tip(room));
        assertThrows(UnavailableException.class, () -> broker.history(room, new Position("e", "0"), 10));
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() < 6_000);
        assertThrows(UnavailableException.class, () -> broker.watch(room));
        assertFalse(broker.status().available());

        redis.restart();
        Await.until(
                WAIT, () -> broker.status().available(), () -> broker.status().toString());
        broker.watch(room);
        broker.publish(room, json(2));
        listener.awaitPayload(room, json(2), WAIT);
        assertEquals(List.of(json(2)), listener.payloads(room));
    }

    @Test
    void aFlushedRedisStartsANewEpochAndWatchersAreResetBeforeTheNewMessages() {
        RedisServer redis = redis();
        RecordingListener onB = new RecordingListener();
        RedisBroker a = broker(redis.url(), "a", new RecordingListener());
        RedisBroker b = broker(redis.url(), "b", onB);
        String room = room();
        b.watch(room);
        Position first = a.publish(room, json(1));
        a.publish(room, json(2));
        onB.awaitCount(room, 2, WAIT);
        redis.command("FLUSHALL");
        Position third = a.publish(room, json(3));
        onB.awaitPayload(room, json(3), WAIT);

        assertNotEquals(first.epoch(), third.epoch());
        assertEquals(List.of(json(1), json(2), "reset:" + History.EPOCH_CHANGED, json(3)), onB.events(room));
        assertEquals(new Position(third.epoch(), "0"), onB.resets(room).get(0).tip());
        assertEquals(History.EPOCH_CHANGED, a.history(room, first, 10).resetReason());
    }

    @Test
    void losingEitherTheStreamOrTheEpochKeyStartsANewEpoch() {
        RedisServer redis = redis();
        RedisBroker broker = broker(redis.url(), "solo", new RecordingListener());
        String room = room();

        Position p1 = broker.publish(room, json(1));
        redis.command("DEL", RoomKeys.stream(room));
        Position afterStreamLoss = broker.tip(room);
        assertNotEquals(p1.epoch(), afterStreamLoss.epoch());
        assertEquals("0", afterStreamLoss.offset());
        assertEquals(History.EPOCH_CHANGED, broker.history(room, p1, 10).resetReason());

        Position p2 = broker.publish(room, json(2));
        redis.command("DEL", RoomKeys.epoch(room));
        History h = broker.history(room, p2, 10);
        assertEquals(History.EPOCH_CHANGED, h.resetReason());
        assertNotEquals(p2.epoch(), h.tip().epoch());
        assertEquals("0", h.tip().offset(), "the old stream must not survive under the new epoch");
    }

    @Test
    void offsetsBeyondWhatAStreamIdHoldsAreForeignPositions() {
        RedisServer redis = redis();
        RedisBroker broker = broker(redis.url(), "solo", new RecordingListener());
        String room = room();
        Position p = broker.publish(room, json(1));
        for (String offset : List.of("0-99999999999999999999", "99999999999999999999", "18446744073709551616-0")) {
            History h = broker.history(room, new Position(p.epoch(), offset), 10);
            assertEquals(History.EPOCH_CHANGED, h.resetReason(), offset);
            assertEquals(p, h.tip());
        }
        assertEquals(
                List.of(json(1)),
                broker.history(room, new Position(p.epoch(), "0-18446744073709551615"), 10).messages().stream()
                        .map(m -> m.payload())
                        .toList());
    }

    @Test
    void trimmedHistoryIsReportedNeverSilentlySkipped() {
        RedisServer redis = redis("--stream-node-max-entries", "5");
        RedisBroker broker = new RedisBroker(RedisTarget.parse(redis.url(), false), "trim", 10);
        toClose.add(broker);
        broker.start(new RecordingListener());
        String room = room();
        List<Position> ps = IntStream.rangeClosed(1, 100)
                .mapToObj(i -> broker.publish(room, json(i)))
                .toList();
        // every position either continues without a gap or is told history-trimmed
        for (int i = 0; i < ps.size(); i++) {
            History h = broker.history(room, ps.get(i), 1_000);
            if (h.isReset()) {
                assertEquals(History.HISTORY_TRIMMED, h.resetReason());
            } else {
                assertEquals(
                        IntStream.rangeClosed(i + 2, 100)
                                .mapToObj(RedisBrokerIT::json)
                                .toList(),
                        h.messages().stream().map(m -> m.payload()).toList());
            }
        }
        assertTrue(broker.history(room, ps.get(0), 10).isReset());
        assertFalse(broker.history(room, ps.get(90), 10).isReset());
    }

    @Test
    void aRetriedPublishIsAppendedOnceAndAnswersTheFirstPosition() {
        RedisServer redis = redis();
        RecordingListener listener = new RecordingListener();
        RedisBroker broker = broker(redis.url(), "retry", listener);
        String room = room();
        broker.watch(room);
        Position start = broker.tip(room);
        try (JedisPooled jedis = new JedisPooled(redis.url())) {
            RedisCommands commands =
                    new RedisCommands(() -> jedis, false, 100, 3600, "retry", new Health("redis", "test"));
            Position first = commands.publish(room, json(1), "publish-1");
            Position again = commands.publish(room, json(1), "publish-1");
            commands.publish(room, json(2), "publish-2");
            assertEquals(first, again);
        }
        listener.awaitPayload(room, json(2), WAIT);
        assertEquals(List.of(json(1), json(2)), listener.payloads(room));
        assertEquals(2, broker.history(room, start, 10).messages().size());
    }

    @Test
    void aSilentlyDeadSubscriberConnectionIsNoticedByItsHeartbeatAndBackFilled() {
        RedisServer redis = redis();
        TcpRelay proxy = new TcpRelay("redis-proxy", redis.port());
        toClose.add(proxy);
        RecordingListener onB = new RecordingListener();
        RedisBroker a = broker(redis.url(), "a", new RecordingListener());
        RedisBroker b = new RedisBroker(
                RedisTarget.parse("redis://127.0.0.1:" + proxy.port(), false), "b", 1_000, new Timing(500, 200, 5_000));
        toClose.add(b);
        b.start(onB);
        String room = room();
        b.watch(room);
        a.publish(room, json(1));
        onB.awaitPayload(room, json(1), WAIT);

        proxy.blackhole(false); // B's connections stay open but carry nothing, in either direction
        a.publish(room, json(2));
        a.publish(room, json(3));

        onB.awaitPayload(room, json(3), WAIT);
        assertEquals(List.of(json(1), json(2), json(3)), onB.payloads(room));
        assertTrue(b.status().reconnects() >= 1, b.status().toString());
    }

    /** Publishes 1, 2, 3, ... as fast as it can, remembering which were acknowledged and which refused. */
    static final class Publisher {
        private final RedisBroker broker;
        private final String room;
        private final List<Integer> acked = new ArrayList<>();
        private final List<Integer> failed = new ArrayList<>();
        private final Thread thread;
        private volatile boolean stopping;
        private volatile long slowestFailureMillis;

        Publisher(RedisBroker broker, String room) {
            this.broker = broker;
            this.room = room;
            this.thread = new Thread(this::run, "test-publisher");
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            stopping = true;
            thread.join(10_000);
        }

        private void run() {
            for (int n = 1; !stopping; n++) {
                long t0 = System.nanoTime();
                try {
                    broker.publish(room, json(n));
                    synchronized (this) {
                        acked.add(n);
                    }
                } catch (UnavailableException e) {
                    slowestFailureMillis = Math.max(
                            slowestFailureMillis,
                            Duration.ofNanos(System.nanoTime() - t0).toMillis());
                    synchronized (this) {
                        failed.add(n);
                    }
                    try {
                        Thread.sleep(20); // a real client backs off too
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }

        synchronized List<Integer> acked() {
            return List.copyOf(acked);
        }

        synchronized List<Integer> failed() {
            return List.copyOf(failed);
        }

        long slowestFailureMillis() {
            return slowestFailureMillis;
        }
    }
}
