/**
 * The broker contract: rooms' histories and the fan-out of their messages to every instance, with
 * {@code Message} and {@code History}. Knows nothing of transports or connections; uses {@code
 * Position} and the JSON codec.
 */
package io.tally.realtime.broker;
