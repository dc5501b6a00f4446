package io.tally.realtime.broker.redis;

import io.tally.realtime.Position;
import io.tally.realtime.broker.BrokerListener;
import io.tally.realtime.broker.History;
import io.tally.realtime.broker.HistoryReader;
import io.tally.realtime.broker.HistorySource;
import io.tally.realtime.broker.Message;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns what subscriber connections hear into listener calls with no gap and no duplicate. Live
 * messages are delivered when they follow the room's last delivered position; after a (re)subscription
 * the room is back-filled from its stream first, and anything the channel then repeats is dropped.
 * A room whose history restarted (new epoch) or was trimmed past us is reported with onReset.
 */
final class Delivery {
    private static final Logger LOG = Logger.getLogger(Delivery.class.getName());
    private final HistoryReader reader;
    private final Health health;
    private final Map<String, RoomFeed> feeds;
    private final Supplier<BrokerListener> listener;

    Delivery(HistorySource history, Health health, Map<String, RoomFeed> feeds, Supplier<BrokerListener> listener) {
        this.reader = new HistoryReader(history, History.PAGE);
        this.health = health;
        this.feeds = feeds;
        this.listener = listener;
    }

    /** The room's channel is subscribed on a fresh connection. Throws (dropping that connection) if Redis fails. */
    void subscribed(String room) {
        RoomFeed f = feeds.get(room);
        if (f == null) return;
        synchronized (f) {
            // First time: everything from the tip on will come through the channel. Later: fill the gap.
            if (f.last == null) f.last = reader.tip(room);
            else catchUp(f);
        }
        f.confirmed.complete(null);
    }

    void received(String room, String text) {
        RoomFeed f = feeds.get(room);
        Envelope e = f == null ? null : Envelope.parse(text);
        if (e == null) return;
        synchronized (f) {
            if (f.last == null) return; // before the first confirmation, whose tip already covers this message
            if (!e.position().epoch().equals(f.last.epoch())) {
                catchUp(f); // the room's history restarted under us: reset, then replay the new one
                return;
            }
            // Pub/sub dropped what came before this one (a node failing over, a slot moving): the stream has it.
            if (e.previous() != null && e.previous().isAfter(f.last)) catchUp(f);
            if (!e.position().isAfter(f.last)) return; // already delivered by a back-fill
            deliver(f, new Message(room, e.position(), e.payload()));
        }
    }

    /** Delivers everything after {@code f.last} from the stream, or resets the room. Caller holds f's monitor. */
    private void catchUp(RoomFeed f) {
        while (true) {
            HistoryReader.Page page = reader.read(f.room, f.last);
            if (page.isReset()) {
                // A new life of the room that began while we were away is replayed from its start,
                // if still whole, so subscribers lose nothing of it.
                Position restart = reader.resumeAfter(f.room, page, f.last);
                reset(f, page.resetReason(), restart);
                if (restart == page.tip()) return;
                continue;
            }
            for (Message m : page.messages()) deliver(f, m);
            if (!page.more()) return;
        }
    }

    private void deliver(RoomFeed f, Message m) {
        f.last = m.position();
        health.delivered(publishedAt(m.position().offset()));
        BrokerListener l = listener.get();
        if (l == null) return;
        try {
            l.onMessage(m);
        } catch (RuntimeException e) {
            // A listener's bug must not tear down the connection that every room shares.
            LOG.log(Level.WARNING, "listener failed on " + m, e);
        }
    }

    private void reset(RoomFeed f, String reason, Position tip) {
        f.last = tip;
        BrokerListener l = listener.get();
        if (l == null) return;
        try {
            l.onReset(f.room, reason, tip);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "listener failed on reset of " + f.room, e);
        }
    }

    /** A stream id's first part is Redis's clock in milliseconds when the entry was added. */
    private static long publishedAt(String offset) {
        return Position.majorOf(offset, System.currentTimeMillis());
    }
}
