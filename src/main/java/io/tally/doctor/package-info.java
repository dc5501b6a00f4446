/**
 * The deployment doctor's page endpoints and checks (proxy timeouts, WebSocket upgrade, broker
 * reach, instances sharing the broker), with secrets redacted from what it shows. Uses the real-
 * time core's public API, settings and the JSON codec.
 */
package io.tally.doctor;
