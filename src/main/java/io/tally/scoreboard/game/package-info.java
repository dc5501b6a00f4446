/**
 * The game model and its rules: immutable games, events and their log, applied by a pure function.
 * Depends on nothing of ours, so it can be tested and reused alone.
 */
package io.tally.scoreboard.game;
