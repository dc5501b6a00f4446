/**
 * The real-time core's public API: the {@code Realtime} facade the application publishes through,
 * positions, room rules and directories, configuration, status, metrics and the client-address
 * rule. Depends on nothing of ours but settings and the JSON codec; every other core package
 * depends on it, never the reverse.
 */
package io.tally.realtime;
