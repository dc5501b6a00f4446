/**
 * What carries frames: the {@code Connection} and handler interfaces the core implements, origin
 * and client-address rules, the gate in front of {@code /live/*}, and the registration of both
 * transports. Servlet and WebSocket API only; depends on no core class.
 */
package io.tally.realtime.transport;
