package io.tally.realtime.broker.redis;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.Connection;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The subscriptions of one {@link Subscriber} connection. Redis confirms each (un)subscribe request
 * with a reply but says nothing of which request a reply answers, so requests in flight are counted
 * per channel: a channel is settled once every request sent for it on this connection is answered.
 * An unsubscribe nobody asked for means the cluster moved the channel's slot away.
 */
final class SubscriberSession implements PubSub.Replies {
    private final Connection connection;
    private final String controlChannel;
    private final Subscriber owner;
    private final PubSub pubSub;
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
    private final Set<String> initial = new HashSet<>(); // the channels the connection opened with
    private volatile boolean wasLive;

    SubscriberSession(Connection connection, boolean sharded, String controlChannel, Subscriber owner) {
        this.connection = connection;
        this.controlChannel = controlChannel;
        this.owner = owner;
        this.pubSub = new PubSub(sharded, this);
    }

    /** Subscribes {@code first} (the control channel first) and blocks, reading replies, until the connection fails. */
    void run(List<String> first) {
        initial.addAll(first);
        first.forEach(ch -> inFlight.merge(ch, 1, Integer::sum));
        owner.silence().heard();
        pubSub.run(connection, first.toArray(String[]::new));
    }

    /** Whether the control channel was confirmed on this connection. */
    boolean wasLive() {
        return wasLive;
    }

    /** The channels this connection opened with. */
    Set<String> initial() {
        return initial;
    }

    void subscribe(String channel) {
        inFlight.merge(channel, 1, Integer::sum);
        pubSub.subscribe(channel);
    }

    void unsubscribe(String channel) {
        inFlight.merge(channel, 1, Integer::sum);
        pubSub.unsubscribe(channel);
    }

    @Override
    public void message(String channel, String message) {
        owner.silence().heard();
        if (!channel.equals(controlChannel)) owner.roomMessage(channel, message);
    }

    @Override
    public void subscribed(String channel) {
        owner.silence().heard();
        if (!settle(channel)) return;
        if (channel.equals(controlChannel)) {
            wasLive = true;
            owner.wentLive(this);
        } else {
            owner.roomSubscribed(channel);
        }
    }

    @Override
    public void unsubscribed(String channel) {
        owner.silence().heard();
        if (inFlight.getOrDefault(channel, 0) <= 0 && owner.wants(channel)) {
            // Not asked for: the server moved the channel's slot away. Start over, back-filling on the way.
            throw new JedisConnectionException("Redis dropped the subscription to " + channel);
        }
        settle(channel);
    }

    /** True once every request sent for the channel on this connection has been answered. */
    private boolean settle(String channel) {
        Integer left = inFlight.computeIfPresent(channel, (k, n) -> n > 1 ? n - 1 : null);
        return left == null;
    }
}
