package io.tally.realtime.session;

import io.tally.realtime.Metrics;
import io.tally.realtime.Position;
import io.tally.realtime.broker.BrokerListener;
import io.tally.realtime.broker.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes the broker's messages off its thread and fans them out on threads of its own, one lane per
 * thread, a room always on the same lane (order per room needs one thread; many rooms use several).
 * What piled up for a room while its lane's previous pass ran goes out together as one
 * {@link Batch}: under load a viewer gets fewer, larger frames (one container send for several
 * messages) instead of a growing delay. Unloaded, every batch is one message and nothing waits.
 * Per room, order is kept, resets included. Queues are bounded: a broker that outruns the fan-out
 * waits for room.
 */
final class Fanout implements BrokerListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Fanout.class.getName());

    /** Where batches go: the hub. */
    interface Sink {
        void deliver(String room, Batch batch);

        void reset(String room, String reason, Position tip);
    }

    /** Items queued per lane at most. */
    static final int QUEUE = 8192;
    /** Messages per frame at most, so a long backlog does not become one huge frame. */
    static final int MAX_BATCH = 100;

    private record Arrival(Message message, long atNanos) {}

    private record Reset(String room, String reason, Position tip) {}

    private final Sink sink;
    private final Metrics metrics;
    private final Lane[] lanes;
    private volatile boolean closed;

    Fanout(Sink sink, Metrics metrics, int lanes) {
        if (lanes < 1) throw new IllegalArgumentException("lanes must be at least 1");
        this.sink = sink;
        this.metrics = metrics;
        this.lanes = new Lane[lanes];
        for (int i = 0; i < lanes; i++) this.lanes[i] = new Lane("tally-fanout-" + (i + 1));
    }

    /** One lane per two cores: the rest is for the sends' completions, the network and the app. */
    static int defaultLanes() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    private Lane lane(String room) {
        return lanes[Math.floorMod(room.hashCode(), lanes.length)];
    }

    @Override
    public void onMessage(Message message) {
        metrics.delivered.increment();
        lane(message.room()).enqueue(new Arrival(message, System.nanoTime()));
    }

    @Override
    public void onReset(String room, String reason, Position tip) {
        lane(room).enqueue(new Reset(room, reason, tip));
    }

    @Override
    public void close() {
        closed = true;
        for (Lane l : lanes) l.thread.interrupt();
        for (Lane l : lanes) l.stop();
    }

    private final class Lane {
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
        private final Thread thread;

        Lane(String name) {
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        }

        void enqueue(Object item) {
            boolean interrupted = false;
            while (!closed) {
                try {
                    queue.put(item);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the message is in the history already: deliver it all the same
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }

        private void run() {
            List<Object> items = new ArrayList<>();
            while (!closed) {
                try {
                    items.add(queue.take());
                } catch (InterruptedException e) {
                    continue; // closing; the loop condition decides
                }
                queue.drainTo(items, QUEUE);
                try {
                    pass(items);
                } catch (RuntimeException e) { // a bug here must not stop every later delivery
                    LOG.log(Level.WARNING, "fan-out pass failed", e);
                }
                items.clear();
            }
        }

        /** Delivers one drained run of items: messages grouped per room, each reset after what preceded it. */
        private void pass(List<Object> items) {
            Map<String, List<Arrival>> runs = new LinkedHashMap<>();
            for (Object item : items) {
                if (item instanceof Arrival a) {
                    runs.computeIfAbsent(a.message().room(), r -> new ArrayList<>())
                            .add(a);
                } else if (item instanceof Reset r) {
                    List<Arrival> before = runs.remove(r.room());
                    if (before != null) deliver(r.room(), before);
                    sink.reset(r.room(), r.reason(), r.tip());
                }
            }
            runs.forEach(this::deliver);
        }

        private void deliver(String room, List<Arrival> run) {
            for (int from = 0; from < run.size(); from += MAX_BATCH) {
                List<Arrival> part = run.subList(from, Math.min(run.size(), from + MAX_BATCH));
                List<Message> messages = new ArrayList<>(part.size());
                for (Arrival a : part) messages.add(a.message());
                sink.deliver(room, new Batch(messages));
                metrics.fanout.record(System.nanoTime() - part.get(0).atNanos());
            }
        }

        void stop() {
            queue.clear();
            try {
                thread.join(1_000); // a container reports threads left running after stop as leaks
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
