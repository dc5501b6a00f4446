/**
 * The broker contract: rooms' histories and the fan-out of their messages to every instance, with
 * {@code Message} and {@code History}, and the one {@code HistoryReader} every catch-up reads
 * history through (WebSocket replays, poll answers, a broker's own back-fill). Knows nothing of transports or connections; uses {@code
 * Position} and the JSON codec.
 */
package io.tally.realtime.broker;
