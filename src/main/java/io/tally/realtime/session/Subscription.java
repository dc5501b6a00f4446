package io.tally.realtime.session;

import io.tally.realtime.Conflation;
import io.tally.realtime.Position;
import io.tally.realtime.UnavailableException;
import io.tally.realtime.broker.HistoryReader;
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

    /** How the room's messages merge for a viewer that fell behind; null when the room is not conflatable. */
    private final Conflation conflation;
    /**
     * Live messages held back while the connection is backed up (conflatable rooms only), sent as one
     * merged message once it drains; at most {@link #HOLD_LIMIT} before they are merged in place.
     * Null when nothing is held. Guarded by this.
     */
    private List<Message> held;

    private boolean heldMerged; // held is one message that already stands for several; guarded by this
    private long owedCount = -1; // a viewer total to tell once the connection drains; guarded by this
    private boolean awaitingDrain; // guarded by this
    private volatile boolean mergeFailed; // the app's merge failed once: no more conflation here

    /** Messages held per slow viewer at most before they are merged into one (they are shared, not copied). */
    static final int HOLD_LIMIT = 32;

    // The replay's progress, touched only by its steps.
    private Position cursor;
    private HistoryReader.Page page;
    private int index;

    Subscription(ClientSession session, String room, long requestId, Position since, boolean conflate) {
        this.session = session;
        this.room = room;
        this.requestId = requestId;
        this.since = since;
        // Only a client that said it takes merged messages gets them; others keep one message per event.
        this.conflation = conflate ? session.conflationOf(room) : null;
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
    void start(Hub hub, HistoryReader reader) {
        try {
            hub.attach(room, this);
        } catch (UnavailableException e) {
            session.subscriptionFailed(this, requestId, e);
            return;
        }
        try {
            if (since == null) {
                Position tip = reader.tip(room);
                session.send(Frames.ack(requestId, room, tip));
                tellViewers();
                goLive(tip);
                return;
            }
            session.send(Frames.ack(requestId, room, since));
            tellViewers();
            cursor = since;
            synchronized (this) {
                at = since;
            }
        } catch (UnavailableException e) {
            failed(hub, e);
            return;
        }
        replay(hub, reader);
    }

    /** One step of the catch-up: sends pages while the queue has room, then waits without a thread. */
    private void replay(Hub hub, HistoryReader reader) {
        try {
            while (!isCancelled()) {
                if (page == null) {
                    page = reader.read(room, cursor, conflation != null && !mergeFailed ? this::merge : null);
                    index = 0;
                }
                if (page.isReset()) {
                    Position tip = page.tip();
                    String reason = page.resetReason();
                    page = null;
                    synchronized (this) {
                        at = tip;
                    }
                    if (session.send(Frames.reset(room, reason, tip))) goLive(tip);
                    else session.started(this);
                    return;
                }
                List<Message> messages = page.messages();
                Message merged = page.merged(); // far behind: the whole page as one
                if (merged != null && index < messages.size()) {
                    if (!session.roomNowOrLater(() -> replay(hub, reader))) return;
                    if (!sendConflated(merged)) {
                        session.started(this);
                        return;
                    }
                    index = messages.size();
                    advanceTo(merged.position());
                }
                while (index < messages.size()) {
                    if (!session.roomNowOrLater(() -> replay(hub, reader))) return;
                    int end =
                            session.acceptsBatches() ? Math.min(messages.size(), index + Fanout.MAX_BATCH) : index + 1;
                    if (!session.send(new Batch(messages.subList(index, end)))) {
                        session.started(this);
                        return;
                    }
                    index = end;
                    advanceTo(messages.get(end - 1).position());
                }
                boolean more = page.more();
                page = null;
                if (!more) {
                    goLive(cursor);
                    return;
                }
            }
            session.started(this);
        } catch (UnavailableException e) {
            page = null;
            failed(hub, e);
        }
    }

    private void advanceTo(Position p) {
        cursor = p;
        synchronized (this) {
            at = p;
        }
    }

    /** The room's current viewer total, to a new subscriber, if it is counted and known. */
    private void tellViewers() {
        long n = session.viewers(room);
        if (n >= 0) session.send(Frames.count(room, n));
    }

    /** The messages as one, or null when the app's merge failed (then no more conflation here). */
    private Message merge(List<Message> messages) {
        Message m = Merging.merge(conflation, room, messages);
        if (m == null) mergeFailed = true;
        return m;
    }

    private boolean sendConflated(Message merged) {
        session.conflated();
        return session.send(Frames.conflated(room, merged.position(), merged.payload()));
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
                this.at = c;
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
        if (conflation == null || (mergeFailed && held == null)) {
            session.sendLive(batch.from(from));
            return;
        }
        List<Message> rest = messages.subList(from, messages.size());
        if (held == null && !session.isBackedUp() && (rest.size() == 1 || session.acceptsBatches())) {
            session.sendLive(batch.from(from));
            return;
        }
        // One frame per message (or a backed-up connection): send while there is room, hold the rest.
        int done = 0;
        while (held == null && done < rest.size() && !session.isBackedUp()) {
            if (!session.sendLive(new Batch(List.of(rest.get(done))))) return;
            done++;
        }
        if (done < rest.size()) hold(rest.subList(done, rest.size()));
    }

    /** Keeps live messages back for a backed-up connection; the caller holds this. */
    private void hold(List<Message> messages) {
        if (held == null) held = new ArrayList<>();
        held.addAll(messages);
        if (held.size() >= HOLD_LIMIT) {
            Message merged = merge(held);
            if (merged == null) {
                sendHeldOneByOne();
                return;
            }
            held = new ArrayList<>(List.of(merged));
            heldMerged = true;
        }
        awaitDrain();
    }

    /** After a failed merge: the held messages go out as they are (the queue limit then applies). */
    private void sendHeldOneByOne() { // the caller holds this
        List<Message> messages = held;
        held = null;
        heldMerged = false;
        for (Message m : messages) {
            if (!session.send(m.frame())) return;
        }
    }

    private void awaitDrain() { // the caller holds this
        if (awaitingDrain) return;
        awaitingDrain = true;
        session.whenDrained(this::flush);
    }

    /** The connection drained: send the total owed and the held messages, as one if they are several. */
    private synchronized void flush() {
        awaitingDrain = false;
        if (cancelled) return;
        if (session.isBackedUp()) { // other rooms' frames filled it again meanwhile
            awaitDrain();
            return;
        }
        if (owedCount >= 0) {
            long n = owedCount;
            owedCount = -1;
            session.send(Frames.count(room, n));
        }
        if (held == null) return;
        List<Message> messages = held;
        boolean merged = heldMerged;
        held = null;
        heldMerged = false;
        if (messages.size() == 1 && !merged) {
            session.send(messages.get(0).frame());
            return;
        }
        Message m = merge(messages);
        if (m == null) {
            held = messages;
            sendHeldOneByOne();
            return;
        }
        sendConflated(m);
    }

    @Override
    public synchronized void count(String room, long viewers) {
        if (cancelled) return;
        if (held != null || session.isBackedUp()) { // a slow viewer needs only the latest total
            owedCount = viewers;
            awaitDrain();
            return;
        }
        session.send(Frames.count(this.room, viewers));
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
        held = null; // of the history that is gone
        heldMerged = false;
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
        return at != null
                && Position.START.equals(tip.offset())
                && tip.epoch().equals(at.epoch())
                && !tip.epoch().equals(fromEpoch);
    }

    synchronized void cancel() {
        cancelled = true;
        pending = null;
        held = null;
    }
}
