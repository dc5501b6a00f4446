/**
 * The single-instance broker: each room's history is a ring in memory with a random epoch.
 * Implements the broker contract; uses the core's {@code Position} and exceptions.
 */
package io.tally.realtime.broker.memory;
