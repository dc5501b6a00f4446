/**
 * The broker for several instances: Redis Streams for history, pub/sub for fan-out, atomic Lua
 * scripts, reconnects with backoff. Implements the broker contract; uses Jedis, the Redis target
 * and the core's {@code Position}, configuration, room rules and exceptions.
 */
package io.tally.realtime.broker.redis;
