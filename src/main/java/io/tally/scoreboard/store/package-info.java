/**
 * Where games and idempotency records live: in memory for one instance, or in Redis for all, with
 * recovery when Redis loses its data. Uses the game model, the JSON codec and the Redis target.
 */
package io.tally.scoreboard.store;
