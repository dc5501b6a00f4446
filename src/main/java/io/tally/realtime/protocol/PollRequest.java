package io.tally.realtime.protocol;

import io.tally.realtime.Position;

import java.util.Map;

/** A decoded long-poll body: whether a welcome is wanted, and each room's position (null: from its end). */
public record PollRequest(boolean hello, Map<String, Position> rooms) {
}
