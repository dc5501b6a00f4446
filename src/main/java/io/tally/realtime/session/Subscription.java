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
    /** Where the client stands: the last position sent to it (ack, replayed or live message, reset). Guarded by this. */
    private Position at;
    /** The epoch of what this instance's live feed last brought for the room (null before anything). Guarded by this. */
    private String feedEpoch;

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
            synchronized (this) {
                at = since;
            }
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
                        synchronized (this) {
                            at = h.tip();
                        }
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
                    synchronized (this) {
                        at = cursor;
                    }
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
                at = c;
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
        feedEpoch = messages.get(messages.size() - 1).position().epoch();
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
        Position last = messages.get(messages.size() - 1).position();
        // The feed still brings the room's old life while the client already stands in a new one: the
        // feed resets before it follows the client there, so these are for nobody here.
        if (at != null && !at.epoch().equals(last.epoch())) return;
        at = last;
        session.sendLive(batch.from(from));
    }

    @Override
    public synchronized void reset(String reason, Position tip) {
        String fromEpoch = feedEpoch;
        feedEpoch = tip.epoch();
        // While catching up, the history read reports the reset itself.
        if (cancelled || pending != null) return;
        if (alreadyIn(tip, fromEpoch)) {
            // The feed found a new life of the room that this client already reached on its own (a
            // resume read it after the loss); the feed now replays that life from its start, so drop
            // the replay up to where the client stands instead of sending it back to the start.
            sent = at;
            return;
        }
        sent = tip;
        at = tip;
        session.send(Frames.reset(room, reason, tip));
    }

    /**
     * Whether a feed reset to the start of a history the client is already in is redundant: the
     * feed moved to a new epoch (not the one it was in) and replays it from offset 0, while the
     * client already stands in that epoch. A reset within the feed's own epoch (a failover that lost
     * what the client saw) is never skipped.
     */
    private boolean alreadyIn(Position tip, String fromEpoch) {
        return at != null && Position.START.equals(tip.offset()) && tip.epoch().equals(at.epoch())
                && !tip.epoch().equals(fromEpoch);
    }

    synchronized void cancel() {
        cancelled = true;
        pending = null;
    }
}
