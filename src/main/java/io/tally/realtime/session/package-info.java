/**
 * The core's internals behind the {@code Realtime} facade: {@code RealtimeCore}, admission and the
 * per-address registry, client sessions, subscriptions, held polls, the hub and the fan-out. Uses
 * the public API, the broker SPI, the protocol and the transport SPI; knows no broker or transport
 * implementation (the wiring chooses those).
 */
package io.tally.realtime.session;
