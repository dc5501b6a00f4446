package io.tally.realtime.broker.redis;

import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.JedisShardedPubSub;

/**
 * Redis pub/sub on one connection, plain ({@code SUBSCRIBE}) or sharded ({@code SSUBSCRIBE}, for a
 * cluster), behind one set of calls: the two Jedis types share no interface.
 */
abstract class PubSub {
    /** What the connection's replies say, on the thread reading them. */
    interface Replies {
        void message(String channel, String message);

        void subscribed(String channel);

        void unsubscribed(String channel);
    }

    static PubSub of(boolean sharded, Replies replies) {
        return sharded ? new Sharded(replies) : new Plain(replies);
    }

    /** Subscribes the channels and blocks, reading replies, until the connection fails or is closed. */
    abstract void run(Connection connection, String... channels);

    abstract void subscribe(String channel);

    abstract void unsubscribe(String channel);

    private static final class Plain extends PubSub {
        private final JedisPubSub pubSub;

        Plain(Replies replies) {
            pubSub = new JedisPubSub() {
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
        }

        @Override
        void run(Connection connection, String... channels) {
            pubSub.proceed(connection, channels);
        }

        @Override
        void subscribe(String channel) {
            pubSub.subscribe(channel);
        }

        @Override
        void unsubscribe(String channel) {
            pubSub.unsubscribe(channel);
        }
    }

    private static final class Sharded extends PubSub {
        private final JedisShardedPubSub pubSub;

        Sharded(Replies replies) {
            pubSub = new JedisShardedPubSub() {
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

        @Override
        void run(Connection connection, String... channels) {
            pubSub.proceed(connection, channels);
        }

        @Override
        void subscribe(String channel) {
            pubSub.ssubscribe(channel);
        }

        @Override
        void unsubscribe(String channel) {
            pubSub.sunsubscribe(channel);
        }
    }
}
