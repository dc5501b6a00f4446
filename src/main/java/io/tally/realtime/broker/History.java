package io.tally.realtime.broker;

import io.tally.realtime.Position;
import java.util.List;

/**
 * The answer to "room R after position P": either the messages after P in offset order (at most the
 * limit asked for; ask again from the last one for more), or a reset when P cannot be served because
 * its epoch is not the room's ({@code epoch-changed}) or history was trimmed past it
 * ({@code history-trimmed}). {@code tip} is the room's end when the answer was read.
 */
public record History(List<Message> messages, String resetReason, Position tip) {
    public static final String EPOCH_CHANGED = "epoch-changed";
    public static final String HISTORY_TRIMMED = "history-trimmed";
    /** How many messages a reader asks for at once (a replay or a poll answer): bounded reads, bounded frames. */
    public static final int PAGE = 500;

    public static History of(List<Message> messages, Position tip) {
        return new History(List.copyOf(messages), null, tip);
    }

    public static History reset(String reason, Position tip) {
        return new History(List.of(), reason, tip);
    }

    public boolean isReset() {
        return resetReason != null;
    }
}
