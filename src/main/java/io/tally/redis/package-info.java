/**
 * Where Redis is and how to log in, parsed once from {@code REDIS_URL} for the broker and the
 * store. Depends only on Jedis.
 */
package io.tally.redis;
