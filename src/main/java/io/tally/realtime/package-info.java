/**
 * The real-time core: the {@code Realtime} facade the app publishes through, its configuration,
 * status and metrics, and the session internals (client sessions, subscriptions, polls, the hub
 * and fan-out). Uses the broker, protocol and transport packages below it, settings and the JSON
 * codec.
 */
package io.tally.realtime;
