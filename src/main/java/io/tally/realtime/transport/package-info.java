/**
 * The transport SPI: the {@code Connection}, {@code ConnectionHandler}, {@code PollHandler} and
 * {@code Admission} interfaces between the core and what carries frames, the hooks the core hands
 * out, origin rules, problem answers and the gate in front of {@code /live/*}. Servlet and
 * WebSocket API and the core's public API only; the transports below implement it.
 */
package io.tally.realtime.transport;
