/**
 * The scoreboard app's wiring, called by the bootstrap once the real-time core is up: stores, the
 * scorers' token, the API and status servlets and the security headers. Uses every scoreboard
 * package and the core's public API.
 */
package io.tally.scoreboard.wiring;
