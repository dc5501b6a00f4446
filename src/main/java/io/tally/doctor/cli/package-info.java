/**
 * The doctor from a terminal: the checks of {@code /doctor} run against a deployment's URL, one
 * class per check. Uses only the JSON codec, the catalogue of findings and the JDK's HTTP and
 * WebSocket clients, so it runs without the webapp.
 */
package io.tally.doctor.cli;
