package io.tally.realtime.broker.redis;

import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.JedisShardedPubSub;

/**
 * Redis pub/sub on one connection, plain ({@code SUBSCRIBE}) or sharded ({@code SSUBSCRIBE}, for a
 * cluster), behind one set of calls: the two Jedis types share no interface.
 */
final class PubSub {
    /** What the connection's replies say, on the thread reading them. */
    interface Replies {
        void message(String channel, String message);

        void subscribed(String channel);

        void unsubscribed(String channel);
    }

    private final JedisPubSub plain; // null when sharded
    private final JedisShardedPubSub sharded; // null when plain

    PubSub(boolean sharded, Replies replies) {
        this.plain = sharded
                ? null
                : new JedisPubSub() {
                    @Override
                    public void onMessage(String channel, String message) {
                        replies.message(channel, message);
                    }

                    @Override
                    public void onSubscribe(String channel, int count) {
                        replies.subscribed(channel);
                    }

                    @Override
                    public void onUnsubscribe(String channel, int count) {
                        replies.unsubscribed(channel);
                    }
                };
        this.sharded = !sharded
                ? null
                : new JedisShardedPubSub() {
                    @Override
                    public void onSMessage(String channel, String message) {
                        replies.message(channel, message);
                    }

                    @Override
                    public void onSSubscribe(String channel, int count) {
                        replies.subscribed(channel);
                    }

                    @Override
                    public void onSUnsubscribe(String channel, int count) {
                        replies.unsubscribed(channel);
                    }
                };
    }

    /** Subscribes the channels and blocks, reading replies, until the connection fails or is closed. */
    void run(Connection connection, String... channels) {
        if (sharded != null) sharded.proceed(connection, channels);
        else plain.proceed(connection, channels);
    }

    void subscribe(String channel) {
        if (sharded != null) sharded.ssubscribe(channel);
        else plain.subscribe(channel);
    }

    void unsubscribe(String channel) {
        if (sharded != null) sharded.sunsubscribe(channel);
        else plain.unsubscribe(channel);
    }
}
