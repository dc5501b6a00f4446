/**
 * The scoreboard's service: applying scorers' events to stored games and publishing them to their
 * rooms, and the sample game. Uses the game model, the stores and the core's public API.
 */
package io.tally.scoreboard;
