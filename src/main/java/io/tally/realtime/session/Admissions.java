package io.tally.realtime.session;

import io.tally.realtime.Metrics;
import io.tally.realtime.RealtimeConfig;
import io.tally.realtime.transport.Admission;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Who may connect or poll now: refuses while draining, over the instance's capacity, over the poll
 * rate of an address, and over an address's connection limit. Keeps the per-address registry that
 * the gate reserves slots in and connections and polls give back.
 */
final class Admissions implements Admission {
    private final RealtimeConfig config;
    private final Metrics metrics;
    private final BooleanSupplier draining;
    private final IntSupplier held;
    private final AddressRates pollRates;
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> expected = new ConcurrentHashMap<>();

    /** {@code held}: connections and held polls open now. */
    Admissions(RealtimeConfig config, Metrics metrics, BooleanSupplier draining, IntSupplier held) {
        this.config = config;
        this.metrics = metrics;
        this.draining = draining;
        this.held = held;
        this.pollRates = new AddressRates(config.pollsPerSecond());
    }

    @Override
    public Refusal check(String clientAddress, boolean webSocket) {
        if (draining.getAsBoolean()) {
            metrics.rejected("draining");
            return new Refusal(503, "draining", "this instance is shutting down; reconnect to another", 2);
        }
        // A held poll holds a socket as a WebSocket does: both count against both limits.
        if (held.getAsInt() >= config.maxConnections()) {
            metrics.rejected("over-capacity");
            return new Refusal(
                    503,
                    "over-capacity",
                    "this instance holds its maximum of " + config.maxConnections() + " connections",
                    5);
        }
        if (!webSocket && !pollRates.tryAcquire(clientAddress, System.nanoTime())) {
            metrics.rejected("rate-limited");
            return new Refusal(
                    429,
                    "rate-limited",
                    "at most " + config.pollsPerSecond() + " polls per second per client address",
                    1);
        }
        if (!reserveAddress(clientAddress)) {
            metrics.rejected("too-many-connections");
            return new Refusal(
                    429,
                    "too-many-connections",
                    "at most " + config.maxConnectionsPerAddress() + " connections per client address",
                    5);
        }
        return null;
    }

    /** Counts one more connection or poll against the address, unless that would pass its limit: atomically. */
    private boolean reserveAddress(String address) {
        boolean[] reserved = {false};
        perAddress.compute(address, (a, n) -> {
            if (n == null) n = new AtomicInteger();
            if (n.get() < config.maxConnectionsPerAddress()) {
                n.incrementAndGet();
                reserved[0] = true;
            }
            return n.get() == 0 ? null : n;
        });
        return reserved[0];
    }

    @Override
    public void expectConnection(String clientAddress) {
        expected.computeIfAbsent(clientAddress, a -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void cancelConnection(String clientAddress) {
        takeExpected(clientAddress);
    }

    @Override
    public void release(String clientAddress) {
        releaseAddress(clientAddress);
    }

    /**
     * A connection opened: behind the gate its slot is reserved already; without one (a standalone
     * WebSocket container) it is counted now.
     */
    void opened(String address) {
        if (!takeExpected(address))
            perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
    }

    /** Whether a gate announced this connection (its slot is reserved already). */
    private boolean takeExpected(String address) {
        boolean[] taken = {false};
        expected.computeIfPresent(address, (a, n) -> {
            taken[0] = true;
            return n.decrementAndGet() <= 0 ? null : n;
        });
        return taken[0];
    }

    void releaseAddress(String address) {
        perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** Forgets the poll rates of addresses idle long enough. */
    void sweep(long nowNanos) {
        pollRates.sweep(nowNanos);
    }
}
