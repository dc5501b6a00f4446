/**
 * The wire protocol of docs/PROTOCOL.md: decoding client frames and long-poll bodies with stable
 * error codes, and building the server's frames. Uses the JSON codec and the core's
 * {@code Position} and room rules.
 */
package io.tally.realtime.protocol;
