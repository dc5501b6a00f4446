/**
 * The scoreboard app's wiring and its use of the real-time core: applying scorers' events, storing
 * games and publishing them to their rooms. Uses the game model, stores, API and web packages,
 * settings and the core's public API.
 */
package io.tally.scoreboard;
