package io.tally.realtime.broker.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One pub/sub connection to one Redis node, on its own thread, holding the channels it is asked to.
 * When the connection drops it reconnects with backoff and subscribes again; each room channel's
 * confirmation on a new connection is reported to the {@link Handler}, which back-fills what was
 * missed. A control channel, subscribed first and always, keeps the connection in subscribed mode
 * with no rooms, marks the connection live, and carries heartbeats that prove it still hears.
 * Each connection's requests and replies are a {@link SubscriberSession}; how long it has been
 * silent is its {@link Silence}.
 */
final class Subscriber {
    private static final Logger LOG = Logger.getLogger(Subscriber.class.getName());

    interface Handler {
        /**
         * The channel's subscription is now confirmed on a fresh connection. Runs on the subscriber
         * thread before any later message of the channel; throwing drops the connection (and retries).
         */
        void onSubscribed(Subscriber from, String channel);

        /** A message on a room channel, on the subscriber thread, in the channel's order. */
        void onMessage(Subscriber from, String channel, String message);

        /** The connection was lost or could not be made; called before the backoff pause. */
        void onDown(Subscriber from);
    }

    private final String name;
    private final HostAndPort node;
    private final JedisClientConfig config;
    private final boolean sharded;
    private final String controlChannel;
    private final Handler handler;
    private final Health health;
    private final Backoff backoff;
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    private final Object sendLock = new Object();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    private volatile SubscriberSession live;
    private volatile Connection connection;
    private final Silence silence = new Silence();
    private boolean wasEverLive; // subscriber thread only
    private volatile long downSinceMillis = System.currentTimeMillis();

    Subscriber(
            HostAndPort node,
            JedisClientConfig config,
            boolean sharded,
            String controlChannel,
            Handler handler,
            Health health,
            Backoff backoff) {
        this.name = node.getHost() + ":" + node.getPort();
        this.node = node;
        this.config = config;
        this.sharded = sharded;
        this.controlChannel = controlChannel;
        this.handler = handler;
        this.health = health;
        this.backoff = backoff;
        this.thread = new Thread(this::run, "tally-redis-subscriber-" + name);
        this.thread.setDaemon(true);
        health.subscriberDown(name, null);
    }

    void start() {
        thread.start();
    }

    HostAndPort node() {
        return node;
    }

    String controlChannel() {
        return controlChannel;
    }

    boolean isLive() {
        return live != null;
    }

    /** How long this subscriber has been without a live connection (0 while live). */
    long downForMillis() {
        return live != null ? 0 : System.currentTimeMillis() - downSinceMillis;
    }

    /** How long the connection has been silent (see {@link Silence}). */
    long millisSinceHeard() {
        return silence.millis();
    }

    Silence silence() {
        return silence;
    }

    Set<String> channels() {
        return Set.copyOf(channels);
    }

    /** Subscribes now if connected, else on the next connection; the confirmation goes to the handler. */
    void add(String channel) {
        synchronized (sendLock) {
            if (!channels.add(channel)) return;
            SubscriberSession s = live;
            try {
                if (s != null) s.subscribe(channel);
            } catch (JedisException e) {
                // The connection is failing; the reader notices, and the next connection subscribes every channel.
            }
        }
    }

    void remove(String channel) {
        synchronized (sendLock) {
            if (!channels.remove(channel)) return;
            SubscriberSession s = live;
            try {
                if (s != null) s.unsubscribe(channel);
            } catch (JedisException e) {
                // As above: the next connection will not subscribe it.
            }
        }
    }

    /** Drops the current connection (a reconnect follows): used when heartbeats stop arriving. */
    void abort() {
        Connection c = connection;
        if (c != null) c.disconnect();
    }

    /** Stops without waiting: safe from this subscriber's own thread. */
    void stop() {
        closing.countDown();
        abort();
        health.subscriberGone(name);
    }

    void close() {
        stop();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean closed() {
        return closing.getCount() == 0;
    }

    private void run() {
        int failures = 0;
        while (!closed()) {
            SubscriberSession session = null;
            try (Connection c = new Connection(node, config)) {
                connection = c;
                if (closed()) break;
                session = new SubscriberSession(c, sharded, controlChannel, this);
                session.run(firstChannels());
                if (!closed()) throw new JedisConnectionException("subscriber connection ended");
            } catch (RuntimeException e) {
                if (!closed()) {
                    health.subscriberDown(name, e);
                    boolean wasLive = session != null && session.wasLive();
                    LOG.log(
                            wasLive ? Level.WARNING : Level.FINE,
                            "Redis subscriber " + name
                                    + (wasLive ? " lost its connection, reconnecting: " : " cannot connect: ")
                                    + Health.describe(e));
                }
            } finally {
                connection = null;
                synchronized (sendLock) {
                    if (live != null) downSinceMillis = System.currentTimeMillis();
                    live = null;
                }
            }
            if (closed()) break;
            if (session != null && session.wasLive()) failures = 0;
            try {
                handler.onDown(this);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Redis subscriber " + name + ": " + Health.describe(e));
            }
            long pause = backoff.delayMillis(failures++);
            try {
                if (closing.await(pause, TimeUnit.MILLISECONDS)) break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    /** The channels a new connection subscribes at once: the control channel first. */
    private List<String> firstChannels() {
        List<String> first = new ArrayList<>();
        first.add(controlChannel);
        synchronized (sendLock) {
            // Redis wants all channels of one SSUBSCRIBE in one slot: sharded rooms follow once live.
            if (!sharded) first.addAll(channels);
        }
        return first;
    }

    boolean wants(String channel) {
        return channels.contains(channel);
    }

    /** A room channel's message, on the subscriber thread. */
    void roomMessage(String channel, String message) {
        silence.busy(() -> handler.onMessage(this, channel, message));
    }

    /** A room channel is confirmed on the current connection, on the subscriber thread. */
    void roomSubscribed(String channel) {
        if (wants(channel)) silence.busy(() -> handler.onSubscribed(this, channel));
    }

    /** The control channel is confirmed: the connection is live; catch up with rooms (un)watched meanwhile. */
    void wentLive(SubscriberSession session) {
        synchronized (sendLock) {
            live = session;
            for (String ch : channels) {
                if (!session.initial().contains(ch)) session.subscribe(ch);
            }
            for (String ch : session.initial()) {
                if (!ch.equals(controlChannel) && !channels.contains(ch)) session.unsubscribe(ch);
            }
        }
        health.subscriberUp(name, wasEverLive);
        if (wasEverLive) LOG.info("Redis subscriber " + name + " reconnected; back-filling watched rooms");
        wasEverLive = true;
    }
}
