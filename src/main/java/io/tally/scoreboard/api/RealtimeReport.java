package io.tally.scoreboard.api;

import java.util.Map;

/** The real-time core's health as the status endpoint shows it: ready or not, and details as JSON. */
public record RealtimeReport(boolean ready, Map<String, Object> details) {}
