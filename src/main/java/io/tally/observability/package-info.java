/**
 * Operations' view of an instance: structured log lines with secrets redacted, and {@code
 * /metrics} in Prometheus text format (JVM, process and real-time families). Reads the real-time
 * core's status and settings; the core does not know it exists.
 */
package io.tally.observability;
