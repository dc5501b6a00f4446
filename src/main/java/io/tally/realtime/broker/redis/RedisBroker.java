package io.tally.realtime.broker.redis;

import io.tally.concurrent.DaemonThreads;
import io.tally.realtime.Position;
import io.tally.realtime.RealtimeConfig;
import io.tally.realtime.Rooms;
import io.tally.realtime.UnavailableException;
import io.tally.realtime.broker.Broker;
import io.tally.realtime.broker.BrokerListener;
import io.tally.realtime.broker.BrokerStatus;
import io.tally.realtime.broker.History;
import io.tally.redis.RedisTarget;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The broker for several instances: each room's history is a Redis Stream (entry ids are offsets,
 * trimmed with {@code MAXLEN ~}), fan-out is Redis pub/sub (sharded pub/sub on a cluster), and one
 * Lua script appends and publishes atomically, so a room's channel order is its stream order.
 *
 * <p>Commands use pooled connections with bounded timeouts: while Redis is unreachable, publish,
 * history and tip fail fast with {@link UnavailableException}. Messages reach listeners through one
 * subscriber connection per Redis node, which reconnects with backoff and back-fills every watched
 * room from its stream, so a dropped connection never leaves a silent gap (see {@link Delivery}).
 */
public final class RedisBroker implements Broker {
    private static final Logger LOG = Logger.getLogger(RedisBroker.class.getName());
    private static final int DEFAULT_ROOM_TTL_SECONDS = 7 * 24 * 3600;
    /** An instance's viewer counts outlive its last report by this much (reports come every few seconds at most). */
    public static final long COUNTS_TTL_MILLIS = 15_000;

    private final RedisTarget target;
    private final Timing timing;
    private final String instanceId;
    private final JedisClientConfig subscriberConfig;
    private final RedisClients clients;
    private final Health health;
    private final RedisCommands commands;
    private final Map<String, RoomFeed> feeds = new ConcurrentHashMap<>();
    private final Map<HostAndPort, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final Delivery delivery;
    private final RedisCounts counts;
    private final Backoff backoff = new Backoff(100, 5_000);
    private final ScheduledExecutorService heartbeat =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tally-redis-heartbeat"));
    private volatile BrokerListener listener;
    private volatile boolean closed;

    /** Connects to {@code config.redisUrl()}; Redis Cluster when {@code config.redisCluster()} or the URL says so. */
    public RedisBroker(RealtimeConfig config) {
        this(
                RedisTarget.parse(config.redisUrl(), config.redisCluster()),
                config.instanceId(),
                config.streamMaxLength(),
                config.roomTtlSeconds(),
                Timing.DEFAULT);
    }

    public RedisBroker(RedisTarget target, String instanceId, int streamMaxLength) {
        this(target, instanceId, streamMaxLength, DEFAULT_ROOM_TTL_SECONDS, Timing.DEFAULT);
    }

    RedisBroker(RedisTarget target, String instanceId, int streamMaxLength, Timing timing) {
        this(target, instanceId, streamMaxLength, DEFAULT_ROOM_TTL_SECONDS, timing);
    }

    /** {@code roomTtlSeconds}: a room's keys expire this long after its last publish. */
    public RedisBroker(RedisTarget target, String instanceId, int streamMaxLength, int roomTtlSeconds) {
        this(target, instanceId, streamMaxLength, roomTtlSeconds, Timing.DEFAULT);
    }

    RedisBroker(RedisTarget target, String instanceId, int streamMaxLength, int roomTtlSeconds, Timing timing) {
        this.target = target;
        this.timing = timing;
        this.instanceId = instanceId;
        String name = "tally-" + safe(instanceId);
        this.subscriberConfig = target.clientConfig(timing.commandMillis(), name + "-sub");
        this.clients =
                new RedisClients(target, target.clientConfig(timing.commandMillis(), name), timing.commandMillis());
        this.health = new Health(target.mode(), target.toString());
        this.commands = new RedisCommands(
                clients::client, target.cluster(), streamMaxLength, roomTtlSeconds, instanceId, health);
        this.delivery = new Delivery(commands, health, feeds, () -> listener);
        this.counts = new RedisCounts(commands, safe(instanceId), COUNTS_TTL_MILLIS);
    }

    @Override
    public void start(BrokerListener listener) {
        this.listener = listener;
        if (!target.cluster()) {
            HostAndPort node = target.hosts().get(0);
            subscribers.computeIfAbsent(node, n -> newSubscriber(n, "tally:ctl:{" + safe(instanceId) + "}"));
        }
        heartbeat.scheduleWithFixedDelay(
                this::beat, timing.heartbeatMillis(), timing.heartbeatMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Redis broker (" + target.mode() + ") for " + target + ", instance " + instanceId);
    }

    @Override
    public Position publish(String room, String payload) {
        open();
        return commands.publish(Rooms.require(room), payload);
    }

    @Override
    public History history(String room, Position since, int limit) {
        open();
        return commands.history(Rooms.require(room), since, limit);
    }

    @Override
    public Position tip(String room) {
        open();
        return commands.tip(Rooms.require(room));
    }

    @Override
    public boolean exists(String room) {
        open();
        return commands.exists(Rooms.require(room));
    }

    @Override
    public void watch(String room) {
        open();
        RoomFeed feed = feeds.computeIfAbsent(Rooms.require(room), RoomFeed::new);
        try {
            Subscriber via = subscriberFor(feed.channel);
            feed.via = via;
            if (via.downForMillis() > timing.watchMillis()) {
                // A long outage, not a blink: answer now rather than hold the caller for the full timeout.
                throw new UnavailableException(
                        "Redis is unavailable: " + health.status(closed).detail());
            }
            via.add(feed.channel);
            feed.confirmed.get(timing.watchMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException | JedisException e) {
            forget(feed);
            throw new UnavailableException(
                    "Redis did not confirm the subscription to room " + room + " within " + timing.watchMillis()
                            + " ms: " + health.status(closed).detail(),
                    e);
        } catch (UnavailableException e) {
            forget(feed);
            throw e;
        } catch (InterruptedException e) {
            forget(feed);
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while subscribing to room " + room, e);
        }
    }

    @Override
    public void unwatch(String room) {
        RoomFeed feed = feeds.get(room);
        if (feed != null) forget(feed);
    }

    @Override
    public Map<String, Long> exchangeCounts(Map<String, Long> local, Map<String, Long> changed) {
        open();
        return counts.exchange(local, changed);
    }

    @Override
    public BrokerStatus status() {
        return health.status(closed);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        heartbeat.shutdownNow();
        subscribers.values().forEach(Subscriber::close);
        try {
            // Undeploy must leave no thread of ours behind (Tomcat reports it as a leak).
            heartbeat.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscribers.clear();
        clients.close();
        listener = null;
    }

    private void forget(RoomFeed feed) {
        if (!feeds.remove(feed.room, feed)) return;
        Subscriber via = feed.via;
        if (via != null) via.remove(feed.channel);
    }

    private void open() {
        if (closed) throw new UnavailableException("the Redis broker is closed");
    }

    /** The subscriber for the node serving the channel's slot (the only one, without a cluster). */
    private Subscriber subscriberFor(String channel) {
        if (!target.cluster()) return subscribers.values().iterator().next();
        HostAndPort node = clients.nodeFor(channel);
        return subscribers.computeIfAbsent(
                node, n -> newSubscriber(n, clients.controlChannelOn(n, "tally:ctl:" + safe(instanceId))));
    }

    private Subscriber newSubscriber(HostAndPort node, String controlChannel) {
        Subscriber s = new Subscriber(
                node,
                subscriberConfig,
                target.cluster(),
                controlChannel,
                new Subscriber.Handler() {
                    @Override
                    public void onSubscribed(Subscriber from, String channel) {
                        String room = RoomKeys.roomOf(channel);
                        if (room != null) delivery.subscribed(room);
                    }

                    @Override
                    public void onMessage(Subscriber from, String channel, String message) {
                        String room = RoomKeys.roomOf(channel);
                        if (room != null) delivery.received(room, message);
                    }

                    @Override
                    public void onDown(Subscriber from) {
                        if (target.cluster()) reroute(from);
                    }
                },
                health,
                backoff);
        s.start();
        return s;
    }

    /**
     * After a cluster node's subscriber lost its connection, the node may have failed over or given
     * away slots: move each room whose slot now lives elsewhere to that node's subscriber. The room
     * keeps its last delivered position, so the new subscription back-fills the gap.
     */
    private void reroute(Subscriber from) {
        clients.refreshTopology();
        int moved = 0;
        for (String channel : from.channels()) {
            HostAndPort node = clients.nodeFor(channel);
            if (node.equals(from.node())) continue;
            moved++;
            RoomFeed feed = feeds.get(RoomKeys.roomOf(channel));
            from.remove(channel);
            if (feed == null || closed) continue;
            Subscriber to = subscriberFor(channel);
            feed.via = to;
            to.add(channel);
        }
        if (moved > 0)
            LOG.info("Redis Cluster: moved " + moved + " rooms away from " + from.node() + " after a topology change");
        if (from.channels().isEmpty() && !clients.servesAnySlot(from.node())) {
            // The node serves no slot any more (failed over, removed): stop calling it.
            subscribers.remove(from.node(), from);
            from.stop();
        } else if (!closed && !from.node().equals(clients.nodeFor(from.controlChannel()))) {
            // Its heartbeat channel's slot moved away (resharding): the node would refuse that channel
            // (MOVED) on every reconnect, so a subscriber with a channel of the node's slots takes over.
            Subscriber fresh =
                    newSubscriber(from.node(), clients.controlChannelOn(from.node(), "tally:ctl:" + safe(instanceId)));
            if (!subscribers.replace(from.node(), from, fresh)) {
                fresh.stop();
                return;
            }
            for (String channel : from.channels()) {
                from.remove(channel);
                RoomFeed feed = feeds.get(RoomKeys.roomOf(channel));
                if (feed == null) continue;
                feed.via = fresh;
                fresh.add(channel);
            }
            from.stop();
            LOG.info("Redis Cluster: the heartbeat channel of " + from.node() + " moved away; resubscribed");
        }
    }

    /** Heartbeats prove each subscriber still hears; one that went silent is dropped and reconnects. */
    private void beat() {
        if (subscribers.isEmpty()) {
            // A cluster instance that watches no room yet still owes readiness checks a current answer.
            try {
                commands.probe();
            } catch (RuntimeException e) {
                // recorded in the health
            }
        }
        for (Subscriber s : subscribers.values()) {
            if (!s.isLive()) continue;
            if (s.millisSinceHeard() > timing.silenceLimitMillis()) {
                LOG.warning("Redis subscriber for " + s.node() + " silent for " + s.millisSinceHeard()
                        + " ms; reconnecting");
                s.abort();
                continue;
            }
            try {
                commands.ping(s.controlChannel());
            } catch (RuntimeException e) {
                // already recorded in the health; the next beat tries again
            }
        }
    }

    /** Instance ids go into channel names and hash tags: keep them to room-name characters. */
    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
