/**
 * The REST API under {@code /api} (docs/API.md): token, origin check, rate limit, body limits,
 * idempotency, problem+json errors and readiness. Uses the game model, the stores, the
 * scoreboard's services and the JSON codec.
 */
package io.tally.scoreboard.api;
