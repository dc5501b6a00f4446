package io.tally.realtime.broker;

import io.tally.realtime.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The one way through a room's history that every catch-up takes: a WebSocket subscription's
 * replay, a poll's answer and the Redis feed's back-fill after a reconnect. It decides where a
 * reader without a position starts (the room's end), how much one read brings (a page), when the
 * reader is reset instead (its epoch is not the room's, or history was trimmed past it), and when a
 * page far behind goes out as one merged message (to a reader that takes them).
 */
public final class HistoryReader {
    /** A page longer than this goes out as one merged message to a reader that takes merged messages. */
    public static final int FAR_BEHIND = 8;

    private final HistorySource source;
    private final int pageSize;

    /** {@code pageSize}: messages per read at most; a full page means more may follow. */
    public HistoryReader(HistorySource source, int pageSize) {
        if (pageSize < 1) throw new IllegalArgumentException("page size must be positive: " + pageSize);
        this.source = source;
        this.pageSize = pageSize;
    }

    /** The room's end: where a reader that names no position starts. */
    public Position tip(String room) {
        return source.tip(room);
    }

    /** The next page after {@code since}, for a reader that takes no merged messages. */
    public Page read(String room, Position since) {
        return read(room, since, null);
    }

    /**
     * The next page after {@code since}: up to a page of the messages after it in offset order, or a
     * reset when {@code since} can no longer be served.
     *
     * @param merge merges messages into one standing for them all (null when the merge failed); null
     *              when the reader takes no merged messages (it did not opt in, or the room is not conflatable)
     */
    public Page read(String room, Position since, Function<List<Message>, Message> merge) {
        History h = source.history(room, since, pageSize);
        if (h.isReset()) return new Page(List.of(), null, h.resetReason(), h.tip(), false);
        List<Message> messages = after(since, h.messages());
        Message merged = merge != null && messages.size() > FAR_BEHIND ? merge.apply(messages) : null;
        return new Page(messages, merged, null, h.tip(), h.messages().size() >= pageSize);
    }

    /**
     * Where a reader that must lose nothing (the broker's own feed) goes on after a reset: a new life
     * of the room that began while it was away, if that life is still whole, is read from its start;
     * otherwise the reader continues from the tip.
     */
    public Position resumeAfter(String room, Page reset, Position since) {
        if (History.EPOCH_CHANGED.equals(reset.resetReason())
                && !reset.tip().epoch().equals(since.epoch())) {
            Position start = new Position(reset.tip().epoch(), Position.START);
            if (!source.history(room, start, 1).isReset()) return start;
        }
        return reset.tip();
    }

    /** The messages strictly after {@code since}: a source may repeat the boundary. */
    private static List<Message> after(Position since, List<Message> messages) {
        if (messages.isEmpty() || messages.get(0).position().isAfter(since)) return messages;
        List<Message> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            if (m.position().isAfter(since)) out.add(m);
        }
        return out;
    }

    /**
     * One read: {@code messages} after the position asked (none on a reset); {@code merged}, when not
     * null, stands for all of them; {@code resetReason} is set when the reader must reset to
     * {@code tip} instead; {@code more} when the page was full and the reader should read on from its end.
     */
    public record Page(List<Message> messages, Message merged, String resetReason, Position tip, boolean more) {
        public boolean isReset() {
            return resetReason != null;
        }

        /** Where a reader stands once it has taken this page, having asked from {@code since}. */
        public Position end(Position since) {
            if (isReset()) return tip;
            return messages.isEmpty()
                    ? since
                    : messages.get(messages.size() - 1).position();
        }
    }
}
