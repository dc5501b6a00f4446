package io.tally.realtime.session;

import io.tally.realtime.Conflation;
import io.tally.realtime.Position;
import io.tally.realtime.UnavailableException;
import io.tally.realtime.broker.HistoryReader;
import io.tally.realtime.broker.Message;
import io.tally.realtime.protocol.Frames;
import io.tally.realtime.transport.PollHandler.PollReply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One held long-poll. It owns no history of its own: it answers "these rooms after these positions"
 * from the broker, at once if anything is there, otherwise when a message for one of its rooms
 * reaches this instance, or with an empty batch when the hold ends. Any instance can serve it.
 */
final class Poll implements Hub.Subscriber {
    /** Messages per room per answer: an answer is one page; the client polls on from where it ends. */
    static final int PAGE = 100;

    private final RealtimeCore core;
    private final Map<String, Position> rooms; // null position: "from the room's end"
    private final List<String> leading; // frames that open the answer (welcome, unknown-room errors)
    private final PollReply reply;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean collectQueued = new AtomicBoolean();
    private final List<String> attached = new ArrayList<>();
    // Deliveries come on the broker's thread and must never wait for a poll's history read, so the
    // arrivals have a lock of their own.
    private final Object arrivals = new Object();
    private final List<Message> arrived = new ArrayList<>(); // guarded by arrivals
    /**
     * Set after a history read found nothing new, or from the start when every position is where
     * this instance's feed stands ({@link Hub#isLastSeen}). From then on, what the broker delivers for the
     * poll's rooms is exactly the continuation (it delivers every message in order, and the poll was
     * attached before it read), so a wake-up answers from the delivered messages without reading
     * history again: one broker read per poll instead of one per poll per message.
     */
    private volatile boolean caughtUp;

    private ScheduledFuture<?> expiry;
    private boolean collectedOnce; // guarded by this
    private final long startedMillis = System.currentTimeMillis();

    /** A held poll is answered for a changed viewer total only once held this long: pollers re-poll for counts at most this often. */
    static final long COUNT_HOLD_MILLIS = 5_000;
    /** The viewer totals the client shows, for the counted rooms it asked counts of (-1: none yet). */
    private final Map<String, Long> shown;

    private final boolean conflate; // the client takes merged messages for conflatable rooms
    private final AtomicBoolean countWakeScheduled = new AtomicBoolean();

    Poll(RealtimeCore core, Map<String, Position> rooms, List<String> leading, PollReply reply) {
        this(core, rooms, Map.of(), false, leading, reply);
    }

    Poll(
            RealtimeCore core,
            Map<String, Position> rooms,
            Map<String, Long> counts,
            boolean conflate,
            List<String> leading,
            PollReply reply) {
        this.core = core;
        this.conflate = conflate;
        this.shown = new LinkedHashMap<>();
        counts.forEach((room, n) -> {
            if (core.audience().isCounted(room)) shown.put(room, n);
        });
        this.rooms = new LinkedHashMap<>(rooms);
        this.leading = List.copyOf(leading);
        this.reply = reply;
    }

    /** Runs on the request's thread; the broker may block it. */
    void start() {
        try {
            for (Map.Entry<String, Position> e : rooms.entrySet()) {
                if (e.getValue() == null) continue; // answered at once with an ack; nothing to wait for
                core.hub().attach(e.getKey(), this);
                attached.add(e.getKey());
            }
        } catch (UnavailableException e) {
            fail();
            return;
        }
        // A poll resuming exactly where this instance's feed stands (the common case: it polls again
        // right after an answer) has nothing to read: it waits for the feed, without a history read.
        caughtUp = leading.isEmpty()
                && !rooms.isEmpty()
                && rooms.entrySet().stream()
                        .allMatch(e -> e.getValue() != null && core.hub().isLastSeen(e.getKey(), e.getValue()));
        core.pollStarted(this);
        expiry = core.scheduler()
                .schedule(
                        () -> core.worker().execute(() -> collect(true)),
                        core.config().pollHoldMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
        collect(false);
    }

    @Override
    public void deliver(Batch batch) {
        if (finished.get()) return;
        synchronized (arrivals) {
            arrived.addAll(batch.messages());
        }
        wake();
    }

    @Override
    public void reset(String reason, Position tip) {
        caughtUp = false; // the next collect reads history, which reports the reset
        wake();
    }

    @Override
    public void count(String room, long viewers) {
        Long n = shown.get(room);
        if (n == null || n == viewers || finished.get()) return;
        long wait = startedMillis + COUNT_HOLD_MILLIS - System.currentTimeMillis();
        if (wait <= 0) {
            wake();
        } else if (countWakeScheduled.compareAndSet(false, true)) {
            core.scheduler().schedule(this::wake, wait, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** Count frames for the rooms whose total differs from what the client shows. */
    private List<String> countFrames() {
        List<String> frames = new ArrayList<>(0);
        shown.forEach((room, n) -> {
            long total = core.audience().total(room);
            if (total >= 0 && total != n) frames.add(Frames.count(room, total));
        });
        return frames;
    }

    /** Whether a changed total should end the hold now: at once on arrival, else once held long enough. */
    private boolean countsDue(boolean arriving) {
        if (shown.isEmpty()) return false;
        if (!arriving && System.currentTimeMillis() - startedMillis < COUNT_HOLD_MILLIS) return false;
        return !countFrames().isEmpty();
    }

    private void wake() {
        if (finished.get() || !collectQueued.compareAndSet(false, true)) return;
        core.worker().execute(() -> {
            collectQueued.set(false);
            collect(false);
        });
    }

    /** Answers if anything is pending (or always, when the hold is over). */
    private synchronized void collect(boolean holdOver) {
        if (finished.get()) return;
        boolean arriving = !collectedOnce;
        collectedOnce = true;
        List<String> frames = caughtUp ? fromArrived() : null;
        if (frames == null) frames = fromHistory();
        if (frames == null) return; // failed and answered
        if (frames.isEmpty() && !holdOver && !core.isDraining() && !countsDue(arriving)) {
            caughtUp = true;
            return;
        }
        frames.addAll(countFrames());
        if (core.isDraining()) frames.add(Frames.reconnect(core.reconnectDelay()));
        finish(200, batch(frames), 0);
    }

    /** The delivered messages after the poll's positions; null when they can't be trusted (new epoch). */
    private List<String> fromArrived() {
        List<Message> copy;
        synchronized (arrivals) {
            copy = new ArrayList<>(arrived);
        }
        List<String> frames = new ArrayList<>();
        Budget budget = new Budget(core.config().maxAnswerBytes());
        for (Message m : copy) {
            Position since = rooms.get(m.room());
            if (since == null) continue;
            if (!since.epoch().equals(m.position().epoch())) return null;
            if (!m.position().isAfter(since)) continue;
            // Full: the rest is for the next poll, which resumes from the last message here.
            if (!budget.take(m.frameBytes())) break;
            frames.add(m.frame());
        }
        return frames;
    }

    /**
     * An answer's size limit in bytes. The first message always fits, so a client always makes
     * progress; after it, a message goes in only if the answer stays within the limit.
     */
    private static final class Budget {
        private long left;
        private boolean any;

        Budget(int bytes) {
            this.left = bytes;
        }

        boolean take(int bytes) {
            if (any && bytes > left) {
                left = 0;
                return false;
            }
            any = true;
            left -= bytes;
            return true;
        }

        /** Frames that must go in whatever the size (welcome, acks, resets, errors): they count, small as they are. */
        void spend(String frame) {
            left -= Message.utf8Length(frame);
        }

        boolean full() {
            return any && left <= 0;
        }
    }

    /** Reads every room after its position; null after answering 503 when the broker failed. */
    private List<String> fromHistory() {
        // Whatever was delivered before this read is in it; whatever comes during or after is kept.
        synchronized (arrivals) {
            arrived.clear();
        }
        List<String> frames = new ArrayList<>();
        frames.addAll(leading);
        Budget budget = new Budget(core.config().maxAnswerBytes());
        leading.forEach(budget::spend);
        try {
            HistoryReader reader = core.pollReader();
            for (Map.Entry<String, Position> e : rooms.entrySet()) {
                String room = e.getKey();
                Position since = e.getValue();
                if (since == null) {
                    String ack = Frames.ack(null, room, reader.tip(room));
                    budget.spend(ack);
                    frames.add(ack);
                    continue;
                }
                if (budget.full()) continue; // this room's news waits for the next poll
                HistoryReader.Page page = reader.read(room, since, merging(room));
                if (page.isReset()) {
                    String reset = Frames.reset(room, page.resetReason(), page.tip());
                    budget.spend(reset);
                    frames.add(reset);
                } else if (page.merged() == null || !addConflated(page.merged(), frames, budget)) {
                    for (Message m : page.messages()) {
                        if (!budget.take(m.frameBytes())) break;
                        frames.add(m.frame());
                    }
                }
            }
        } catch (UnavailableException e) {
            fail();
            return null;
        }
        return frames;
    }

    /** How the room's page merges for this poll, or null when the client did not opt in or the room is not conflatable. */
    private Function<List<Message>, Message> merging(String room) {
        Conflation how = conflate ? core.conflationOf(room) : null;
        return how == null ? null : messages -> Merging.merge(how, room, messages);
    }

    /** A page far behind as its one merged message (the client jumps to its end), if the answer has room. */
    private boolean addConflated(Message merged, List<String> frames, Budget budget) {
        String frame = Frames.conflated(merged.room(), merged.position(), merged.payload());
        if (!budget.take(Message.utf8Length(frame))) return false;
        core.metrics().conflated.increment();
        frames.add(frame);
        return true;
    }

    /** Ends the hold now with whatever is pending (used when the instance drains). */
    void endNow() {
        core.worker().execute(() -> collect(true));
    }

    private void fail() {
        finish(503, PollIntake.UNAVAILABLE, 2);
    }

    private void finish(int status, String body, int retryAfter) {
        if (!finished.compareAndSet(false, true)) return;
        if (expiry != null) expiry.cancel(false);
        for (String room : attached) core.hub().detach(room, this);
        core.pollEnded(this);
        core.metrics().framesOut.add(status == 200 ? 1 : 0);
        reply.send(status, status == 200 ? "application/json" : io.tally.http.Problems.CONTENT_TYPE, body, retryAfter);
    }

    private String batch(List<String> frames) {
        StringBuilder sb = new StringBuilder(64 + frames.size() * 160);
        sb.append("{\"type\":\"batch\",\"instance\":");
        sb.append(io.tally.json.JsonWriter.write(core.config().instanceId()));
        // The server's clock and how long the answer was held: the client halves the rest of the
        // round trip to estimate its clock offset.
        long now = System.currentTimeMillis();
        sb.append(",\"time\":").append(now).append(",\"held\":").append(Math.max(0, now - startedMillis));
        sb.append(",\"frames\":[");
        for (int i = 0; i < frames.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(frames.get(i));
        }
        return sb.append("]}").toString();
    }
}
