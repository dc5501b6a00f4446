package io.tally.realtime;

import io.tally.realtime.broker.Broker;
import io.tally.realtime.broker.History;
import io.tally.realtime.broker.Message;
import io.tally.realtime.protocol.Frames;

import java.util.ArrayList;
import java.util.List;

/**
 * One room subscription of one WebSocket session. It first catches up from the client's position
 * (history from the broker) while buffering live messages, then replays the buffer past the point
 * the history reached and goes live: in order, each message once.
 */
final class Subscription implements Hub.Subscriber {
    private final ClientSession session;
    private final String room;
    private List<Message> pending = new ArrayList<>(); // non-null while catching up; guarded by this
    private boolean cancelled; // guarded by this
    /**
     * Where the client stands once live: live messages at or before it are dropped. A history read
     * goes to the broker directly and can run ahead of this instance's live feed (Redis pub/sub
     * arrives a moment later), so the feed may still bring what the replay already sent.
     * Found by RollingDrainIT. Guarded by this.
     */
    private Position sent;

    Subscription(ClientSession session, String room) {
        this.session = session;
        this.room = room;
    }

    String room() {
        return room;
    }

    /** Runs on a worker thread: the broker may block. */
    void start(Hub hub, Broker broker, long requestId, Position since) {
        try {
            hub.attach(room, this);
        } catch (UnavailableException e) {
            session.subscriptionFailed(this, requestId, e);
            return;
        }
        try {
            Position cursor;
            if (since == null) {
                cursor = broker.tip(room);
                session.send(Frames.ack(requestId, room, cursor));
            } else {
                session.send(Frames.ack(requestId, room, since));
                cursor = catchUp(broker, since);
                if (cursor == null) return;
            }
            goLive(cursor);
        } catch (UnavailableException e) {
            hub.detach(room, this);
            session.subscriptionFailed(this, requestId, e);
        }
    }

    /** Returns where history ended, or null if the session could not keep up. */
    private Position catchUp(Broker broker, Position since) {
        Position cursor = since;
        while (true) {
            History h = broker.history(room, cursor, History.PAGE);
            if (h.isReset()) {
                if (!session.send(Frames.reset(room, h.resetReason(), h.tip()))) return null;
                return h.tip();
            }
            for (Message m : h.messages()) {
                if (!session.awaitCapacity() || !session.send(m.frame())) return null;
                cursor = m.position();
            }
            if (h.messages().size() < History.PAGE) return cursor;
        }
    }

    private synchronized void goLive(Position cursor) {
        if (cancelled || pending == null) return;
        for (Message m : pending) {
            if (isAfter(m.position(), cursor)) {
                if (!session.send(m.frame())) break;
                cursor = m.position();
            }
        }
        sent = cursor;
        pending = null;
    }

    private static boolean isAfter(Position p, Position cursor) {
        return !p.epoch().equals(cursor.epoch()) || p.isAfter(cursor);
    }

    @Override
    public synchronized void deliver(Batch batch) {
        if (cancelled) return;
        List<Message> messages = batch.messages();
        if (pending != null) {
            if (pending.size() + messages.size() > session.bufferLimit()) {
                pending = null;
                cancelled = true;
                session.slowConsumer();
            } else {
                pending.addAll(messages);
            }
            return;
        }
        int from = 0;
        if (sent != null) {
            // A replay may have run ahead of the live feed: drop what it already sent. The first
            // live message past it proves the feed has caught up; the broker's per-room order
            // makes every later one newer, so the hot path stops comparing offsets from here on.
            while (from < messages.size() && !isAfter(messages.get(from).position(), sent)) from++;
            if (from == messages.size()) return;
            sent = null;
        }
        session.send(batch.from(from));
    }

    @Override
    public synchronized void reset(String reason, Position tip) {
        // While catching up, the history read reports the reset itself.
        if (cancelled || pending != null) return;
        sent = tip;
        session.send(Frames.reset(room, reason, tip));
    }

    synchronized void cancel() {
        cancelled = true;
        pending = null;
    }
}
