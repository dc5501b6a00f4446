package io.tally.realtime.broker;

/**
 * A broker's health for readiness checks and the doctor page. {@code mode} is e.g. "memory",
 * "redis", "redis-tls", "redis-cluster"; {@code detail} is a short human explanation, never secrets.
 */
public record BrokerStatus(boolean available, String mode, String detail, long lagMillis, long reconnects) {}
