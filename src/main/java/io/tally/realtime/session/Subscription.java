package io.tally.realtime.session;

import io.tally.realtime.Position;
import io.tally.realtime.UnavailableException;
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
 *
 * <p>The catch-up holds no thread while the client reads: it sends what the connection's queue has
 * room for, then asks to be called again when the queue has drained ({@link ClientSession#roomNowOrLater}).
 * Its steps run one after another (each step schedules the next only as its last act), so its
 * replay fields need no lock.
 */
final class Subscription implements Hub.Subscriber {
    private final ClientSession session;
    private final String room;
    private final long requestId;
    private final Position since;
    private List<Message> pending = new ArrayList<>(); // non-null while catching up; guarded by this
    private boolean cancelled; // guarded by this
    /**
     * Where the client stands once live: live messages at or before it are dropped. A history read
     * goes to the broker directly and can run ahead of this instance's live feed (Redis pub/sub
     * arrives a moment later), so the feed may still bring what the replay already sent. Guarded by
     * this.
     */
    private Position sent;

    // The replay's progress, touched only by its steps.
    private Position cursor;
    private List<Message> page;
    private int index;

    Subscription(ClientSession session, String room, long requestId, Position since) {
        this.session = session;
        this.room = room;
        this.requestId = requestId;
        this.since = since;
    }

    String room() {
        return room;
    }

    long requestId() {
        return requestId;
    }

    /**
     * Attaches to the room and starts the catch-up; runs on a worker (the broker may block).
     * Calls {@link ClientSession#started} exactly once, when live, failed or cancelled.
     */
    void start(Hub hub, Broker broker) {
        try {
            hub.attach(room, this);
        } catch (UnavailableException e) {
            session.subscriptionFailed(this, requestId, e);
            return;
        }
        try {
            if (since == null) {
                Position tip = broker.tip(room);
                session.send(Frames.ack(requestId, room, tip));
                goLive(tip);
                return;
            }
            session.send(Frames.ack(requestId, room, since));
            cursor = since;
        } catch (UnavailableException e) {
            failed(hub, e);
            return;
        }
        replay(hub, broker);
    }

    /** One step of the catch-up: sends pages while the queue has room, then waits without a thread. */
    private void replay(Hub hub, Broker broker) {
        try {
            while (!isCancelled()) {
                if (page == null) {
                    History h = broker.history(room, cursor, History.PAGE);
                    if (h.isReset()) {
                        if (session.send(Frames.reset(room, h.resetReason(), h.tip()))) goLive(h.tip());
                        else session.started(this);
                        return;
                    }
                    page = h.messages();
                    index = 0;
                }
                while (index < page.size()) {
                    if (!session.roomNowOrLater(() -> replay(hub, broker))) return;
                    int end = session.acceptsBatches() ? Math.min(page.size(), index + Fanout.MAX_BATCH) : index + 1;
                    Batch part = new Batch(page.subList(index, end));
                    if (!session.send(part)) {
                        session.started(this);
                        return;
                    }
                    index = end;
                    cursor = page.get(end - 1).position();
                }
                if (page.size() < History.PAGE) {
                    page = null;
                    goLive(cursor);
                    return;
                }
                page = null;
            }
            session.started(this);
        } catch (UnavailableException e) {
            page = null;
            failed(hub, e);
        }
    }

    private void failed(Hub hub, UnavailableException e) {
        hub.detach(room, this);
        session.subscriptionFailed(this, requestId, e);
    }

    private synchronized boolean isCancelled() {
        return cancelled;
    }

    private void goLive(Position at) {
        synchronized (this) {
            if (!cancelled && pending != null) {
                Position c = at;
                for (Message m : pending) {
                    if (isAfter(m.position(), c)) {
                        if (!session.send(m.frame())) break;
                        c = m.position();
                    }
                }
                sent = c;
                pending = null;
            }
        }
        session.started(this);
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
        session.sendLive(batch.from(from));
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
