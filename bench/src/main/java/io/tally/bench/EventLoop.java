package io.tally.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One selector thread driving many viewers (non-blocking sockets, no thread per connection). All
 * of a viewer's work happens on its loop, so viewers need no locks. The loop ends when asked or at
 * its deadline, whichever comes first, and closes every socket it holds.
 */
final class EventLoop extends Thread {
    final Selector selector;
    final Recorder recorder = new Recorder();
    /** Scratch space for reads: a viewer keeps only the unparsed tail of a frame between reads. */
    final ByteBuffer readBuffer = ByteBuffer.allocate(1024 * 1024);
    /** Scratch space for inflating one compressed message (grows to the largest seen). */
    byte[] inflateBuffer = new byte[64 * 1024];

    int inflatedLength;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final long deadlineNanos;
    private volatile boolean stopping;

    private record Timer(long at, Runnable task) implements Comparable<Timer> {
        public int compareTo(Timer o) {
            return Long.compare(at, o.at);
        }
    }

    EventLoop(String name, long deadlineNanos) throws IOException {
        super(name);
        setDaemon(true);
        this.selector = Selector.open();
        this.deadlineNanos = deadlineNanos;
    }

    void submit(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Runs {@code task} on this loop after {@code millis}; call from the loop thread only. */
    void later(long millis, Runnable task) {
        timers.add(new Timer(System.nanoTime() + millis * 1_000_000, task));
    }

    void shutdown() {
        stopping = true;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (!stopping && System.nanoTime() < deadlineNanos) {
                long wait = 50;
                Timer next = timers.peek();
                if (next != null) wait = Math.max(1, Math.min(wait, (next.at - System.nanoTime()) / 1_000_000));
                selector.select(wait);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    Viewer v = (Viewer) key.attachment();
                    try {
                        if (!key.isValid()) continue;
                        if (key.isConnectable()) v.onConnectable();
                        if (key.isValid() && key.isReadable()) v.onReadable();
                        if (key.isValid() && key.isWritable()) v.onWritable();
                    } catch (IOException | RuntimeException e) {
                        v.onFailure(e);
                    }
                }
                Runnable task;
                while ((task = tasks.poll()) != null) task.run();
                long now = System.nanoTime();
                while (!timers.isEmpty() && timers.peek().at <= now)
                    timers.poll().task.run();
            }
        } catch (IOException e) {
            System.err.println(getName() + ": selector failed: " + e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                try {
                    key.channel().close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
