package io.tally.realtime;

import io.tally.realtime.broker.Broker;
import io.tally.realtime.broker.BrokerStatus;
import io.tally.realtime.protocol.ErrorCode;
import io.tally.realtime.protocol.FrameDecoder;
import io.tally.realtime.protocol.Frames;
import io.tally.realtime.protocol.PollRequest;
import io.tally.realtime.protocol.ProtocolException;
import io.tally.realtime.transport.Admission;
import io.tally.realtime.transport.ClientAddress;
import io.tally.realtime.transport.Connection;
import io.tally.realtime.transport.ConnectionHandler;
import io.tally.realtime.transport.OriginPolicy;
import io.tally.realtime.transport.PollHandler;
import io.tally.realtime.transport.Problems;
import io.tally.realtime.transport.TransportSettings;
import io.tally.realtime.transport.Transports;
import jakarta.servlet.ServletContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The real-time core's public face: publish to rooms, read a room's end, install the transports in
 * a servlet context, report status, and drain on shutdown. The application uses nothing else.
 */
public final class Realtime implements AutoCloseable, ConnectionHandler, PollHandler, Admission {
    private static final Logger LOG = Logger.getLogger(Realtime.class.getName());

    private final RealtimeConfig config;
    private final Broker broker;
    private final Hub hub;
    private final Fanout fanout;
    private final FrameDecoder decoder;
    private final Metrics metrics = new Metrics();
    private final ExecutorService worker;
    private final ScheduledExecutorService scheduler;
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    private final Set<Poll> polls = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> expected = new ConcurrentHashMap<>();
    private final ClientAddress clientAddress;
    private final AddressRates pollRates;
    private final KnownRooms known = new KnownRooms(10_000);
    private final java.util.List<RoomDirectory> directories = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Audience audience;
    private final java.util.List<Map.Entry<java.util.function.Predicate<String>, Conflation>> conflations =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean exchangeQueued = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean draining;

    private Realtime(RealtimeConfig config, Broker broker) {
        this.config = config;
        this.broker = broker;
        this.decoder = new FrameDecoder(config.maxJsonDepth());
        this.clientAddress = new ClientAddress(config.trustedProxies());
        this.pollRates = new AddressRates(config.pollsPerSecond());
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        this.worker = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemon("tally-worker"));
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("tally-timer"));
        timer.setRemoveOnCancelPolicy(true);
        this.scheduler = timer;
        this.hub = new Hub(broker, scheduler);
        this.fanout = new Fanout(hub, metrics, Fanout.defaultLanes());
        this.audience = new Audience(hub, broker, metrics);
        broker.start(fanout);
        scheduler.scheduleWithFixedDelay(this::exchangeCounts, config.countIntervalMillis(), config.countIntervalMillis(),
                TimeUnit.MILLISECONDS);
        long tick = Math.max(20, Math.min(1000, Math.min(config.heartbeatMillis(), config.peerTimeoutMillis()) / 5));
        scheduler.scheduleWithFixedDelay(this::heartbeat, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** A core with the broker the configuration names: Redis when {@code REDIS_URL} is set, else in-memory. */
    public static Realtime create(RealtimeConfig config) {
        return create(config, Brokers.create(config));
    }

    /** A core over a given broker (tests, embedding). */
    public static Realtime create(RealtimeConfig config, Broker broker) {
        return new Realtime(config, broker);
    }

    /**
     * Tells the core which rooms the application has created, beyond those published to: viewers
     * can subscribe to and poll only those (an unknown room costs nothing and is answered
     * {@code unknown-room}). Reserved rooms ({@link Rooms#isReserved}) are reachable only through a
     * directory. Each call adds one; a room is reachable when any of them names it.
     */
    public void rooms(RoomDirectory directory) {
        directories.add(java.util.Objects.requireNonNull(directory));
    }

    /**
     * Counts the viewers of the rooms {@code rooms} accepts, across instances ("N watching"): their
     * viewers receive {@code count} frames with the room's total, and again when it changes. Each
     * call adds rooms; none are counted by default.
     */
    public void countViewers(java.util.function.Predicate<String> rooms) {
        audience.count(java.util.Objects.requireNonNull(rooms));
    }

    /**
     * Declares the rooms {@code rooms} accepts conflatable: a viewer that falls behind in one (its
     * send queue backs up, or it resumes far behind) gets, in place of the backlog, one message
     * merged by {@code how} and flagged {@code conflated}, instead of being disconnected as a slow
     * consumer. The first declaration naming a room decides.
     */
    public void conflate(java.util.function.Predicate<String> rooms, Conflation how) {
        conflations.add(Map.entry(java.util.Objects.requireNonNull(rooms), java.util.Objects.requireNonNull(how)));
    }

    /** The room's conflation, or null when it is not conflatable. */
    Conflation conflationOf(String room) {
        for (Map.Entry<java.util.function.Predicate<String>, Conflation> e : conflations) {
            if (e.getKey().test(room)) return e.getValue();
        }
        return null;
    }

    Audience audience() {
        return audience;
    }

    private void exchangeCounts() {
        if (!exchangeQueued.compareAndSet(false, true)) return; // the previous one still runs (a slow broker)
        try {
            worker.execute(() -> {
                try {
                    audience.exchange();
                } finally {
                    exchangeQueued.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            exchangeQueued.set(false);
        }
    }

    private boolean named(String room) {
        for (RoomDirectory d : directories) {
            if (d.exists(room)) return true;
        }
        return false;
    }

    /**
     * Whether a viewer may reach the room. Asked before anything is allocated for it.
     *
     * @throws UnavailableException when the broker or the directory cannot answer now
     */
    boolean reachable(String room) {
        if (known.contains(room)) return true;
        boolean yes;
        try {
            yes = Rooms.isReserved(room) ? named(room) : broker.exists(room) || named(room);
        } catch (UnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UnavailableException("cannot tell whether room " + room + " exists: " + e.getMessage(), e);
        }
        if (yes) known.add(room);
        return yes;
    }

    /** Registers {@code /live/ws} and {@code /live/poll} with their origin gate. */
    public void install(ServletContext context) {
        Transports.install(context, transportSettings(), this, this, this, worker);
    }

    private TransportSettings transportSettings() {
        return new TransportSettings(
                config.maxFrameBytes(),
                config.sendQueueLimit(),
                (long) config.pollHoldMillis() + 15_000,
                config.pollBodyMillis(),
                new OriginPolicy(config.allowedOrigins()),
                clientAddress,
                config.webSocketCompression(),
                config.inlineSends(),
                config.sendTimeoutMillis());
    }

    /**
     * The WebSocket endpoint alone, for containers without servlets (Tyrus standalone). Such a
     * container has no origin gate in front; the endpoint re-checks the origin itself.
     */
    public jakarta.websocket.server.ServerEndpointConfig webSocketEndpoint() {
        return new io.tally.realtime.transport.websocket.WebSocketTransport(transportSettings(), this, worker).endpointConfig();
    }

    /**
     * Publishes a payload (valid JSON text) to a room and returns its position in the room's history.
     *
     * @throws UnavailableException when it could not be published (nothing was)
     */
    public Position publish(String room, String payloadJson) {
        Rooms.require(room);
        if (payloadJson == null || payloadJson.isEmpty()) throw new IllegalArgumentException("payload must be JSON text");
        Position p = broker.publish(room, payloadJson);
        metrics.published.increment();
        return p;
    }

    /** The position of the room's last message (offset "0" when it has none). */
    public Position tip(String room) {
        return broker.tip(Rooms.require(room));
    }

    /** Part of a room's history read back for diagnostics: payloads (JSON text) in offset order. */
    public record HistoryExcerpt(java.util.List<String> payloads, Position last, Position tip, boolean reset) {
    }

    /**
     * Read-only, for diagnostics (the doctor): up to {@code limit} payloads published to the room after
     * {@code since}, oldest first, with the position of the last one returned ({@code since} when none).
     * When {@code since} cannot be served (another epoch, or trimmed) {@code reset} is true, nothing is
     * returned, and {@code tip} tells where the room's history now ends.
     *
     * @throws UnavailableException when history cannot be read now
     */
    public HistoryExcerpt readHistory(String room, Position since, int limit) {
        io.tally.realtime.broker.History h = broker.history(Rooms.require(room), since, limit);
        if (h.isReset()) return new HistoryExcerpt(java.util.List.of(), since, h.tip(), true);
        java.util.List<String> payloads = new java.util.ArrayList<>(h.messages().size());
        Position last = since;
        for (io.tally.realtime.broker.Message m : h.messages()) {
            payloads.add(m.payload());
            last = m.position();
        }
        return new HistoryExcerpt(payloads, last, h.tip(), false);
    }

    /** How client addresses are told behind trusted proxies; the application's limits use the same. */
    public ClientAddress clientAddress() {
        return clientAddress;
    }

    public RealtimeConfig config() {
        return config;
    }

    public Metrics metrics() {
        return metrics;
    }

    public boolean isDraining() {
        return draining;
    }

    public RealtimeStatus status() {
        BrokerStatus b = broker.status();
        return new RealtimeStatus(config.instanceId(), draining, b.mode(), b.available(), b.detail(), b.lagMillis(),
                b.reconnects(), sessions.size(), polls.size(), hub.roomCount(), metrics.published(),
                metrics.framesIn(), metrics.framesOut(), metrics.rejected());
    }

    // ---- transports' side ------------------------------------------------------------------

    @Override
    public Refusal check(String clientAddress, boolean webSocket) {
        if (draining) {
            metrics.rejected("draining");
            return new Refusal(503, "draining", "this instance is shutting down; reconnect to another", 2);
        }
        // A held poll holds a socket as a WebSocket does: both count against both limits.
        if (sessions.size() + polls.size() >= config.maxConnections()) {
            metrics.rejected("over-capacity");
            return new Refusal(503, "over-capacity", "this instance holds its maximum of " + config.maxConnections() + " connections", 5);
        }
        if (!webSocket && !pollRates.tryAcquire(clientAddress, System.nanoTime())) {
            metrics.rejected("rate-limited");
            return new Refusal(429, "rate-limited", "at most " + config.pollsPerSecond() + " polls per second per client address", 1);
        }
        if (!reserveAddress(clientAddress)) {
            metrics.rejected("too-many-connections");
            return new Refusal(429, "too-many-connections",
                    "at most " + config.maxConnectionsPerAddress() + " connections per client address", 5);
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

    /** Whether a gate announced this connection (its slot is reserved already). */
    private boolean takeExpected(String address) {
        boolean[] taken = {false};
        expected.computeIfPresent(address, (a, n) -> {
            taken[0] = true;
            return n.decrementAndGet() <= 0 ? null : n;
        });
        return taken[0];
    }

    @Override
    public Inbound open(Connection connection) {
        String address = connection.clientAddress();
        // Behind the gate the slot is reserved; without one (a standalone WebSocket container) count it now.
        if (!takeExpected(address)) perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        if (draining) {
            releaseAddress(address);
            connection.close(ClientSession.CLOSE_GOING_AWAY, "draining");
            return null;
        }
        ClientSession session = new ClientSession(this, connection, System.nanoTime());
        sessions.add(session);
        return session;
    }

    /** The {@code welcome} frame for a transport. */
    String welcome(String transport) {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("maxFrameBytes", config.maxFrameBytes());
        limits.put("maxRooms", config.maxRoomsPerConnection());
        limits.put("pollHold", config.pollHoldMillis());
        return Frames.welcome(config.instanceId(), transport, config.heartbeatMillis(), config.peerTimeoutMillis(), limits,
                System.currentTimeMillis());
    }

    void sessionClosed(ClientSession session) {
        if (sessions.remove(session)) releaseAddress(session.connection().clientAddress());
    }

    private void releaseAddress(String address) {
        perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    @Override
    public void poll(String body, String clientAddress, PollReply reply) {
        metrics.polls.increment();
        if (draining) {
            reply.send(503, Problems.CONTENT_TYPE, Problems.body(503, "draining", "this instance is shutting down; poll another"), 2);
            return;
        }
        PollRequest request;
        if (body == null) {
            request = new PollRequest(true, Map.of());
        } else {
            try {
                request = decoder.decodePoll(body, config.maxRoomsPerConnection());
            } catch (ProtocolException e) {
                metrics.rejected(e.code().wire());
                reply.send(400, Problems.CONTENT_TYPE, Problems.body(400, e.code().wire(), e.getMessage()), 0);
                return;
            }
        }
        java.util.List<String> leading = new java.util.ArrayList<>();
        if (request.hello()) leading.add(welcome("polling"));
        Map<String, Position> rooms = new LinkedHashMap<>(request.rooms());
        try {
            for (String room : request.rooms().keySet()) {
                if (reachable(room)) continue;
                rooms.remove(room);
                metrics.rejected(ErrorCode.UNKNOWN_ROOM.wire());
                leading.add(Frames.error(ErrorCode.UNKNOWN_ROOM, null, room, "no such room"));
            }
        } catch (UnavailableException e) {
            reply.send(503, Problems.CONTENT_TYPE, Problems.body(503, "unavailable",
                    "room history is unavailable right now; poll again shortly"), 2);
            return;
        }
        // The gate counts the poll against its address from its arrival until its answer.
        Poll poll = new Poll(this, rooms, request.counts(), leading, reply);
        // On the request's own thread: a container thread may block on the broker as well as a
        // worker can, and a hand-off per poll cost 16 % of polling's CPU (measured: 403 -> 338 µs).
        poll.start();
    }

    void pollStarted(Poll poll) {
        polls.add(poll);
    }

    void pollEnded(Poll poll) {
        polls.remove(poll);
    }

    // ---- internals shared with sessions and polls --------------------------------------------

    Hub hub() {
        return hub;
    }

    Broker broker() {
        return broker;
    }

    FrameDecoder decoder() {
        return decoder;
    }

    ExecutorService worker() {
        return worker;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** A random delay within the drain window, so a fleet of clients does not reconnect at once. */
    long reconnectDelay() {
        int window = config.drainWindowMillis();
        return window <= 0 ? 0 : ThreadLocalRandom.current().nextLong(window);
    }

    private void heartbeat() {
        long now = System.nanoTime();
        pollRates.sweep(now);
        long beat = TimeUnit.MILLISECONDS.toNanos(config.heartbeatMillis());
        long dead = TimeUnit.MILLISECONDS.toNanos((long) config.heartbeatMillis() + config.peerTimeoutMillis());
        for (ClientSession s : sessions) {
            try {
                s.tick(now, beat, dead);
            } catch (RuntimeException e) {
                LOG.warning("heartbeat failed for a session: " + e);
            }
        }
    }

    /**
     * Tells every WebSocket client to reconnect after a random delay within the drain window, and
     * refuses nobody: for when the load balancer already sends new clients elsewhere. Returns how many were told.
     */
    public int moveClients() {
        int told = 0;
        for (ClientSession s : sessions) {
            s.drain();
            told++;
        }
        return told;
    }

    /**
     * Drains: refuses new connections and polls, tells every client to reconnect after a random
     * delay within the drain window (so they land on other instances, spread out), answers held
     * polls, and after {@code graceMillis} closes what is left with 1001.
     */
    public void drain(long graceMillis) {
        long start = System.nanoTime();
        draining = true;
        int told = 0;
        int answered = 0;
        for (ClientSession s : sessions) {
            s.drain();
            told++;
        }
        for (Poll p : polls) {
            p.endNow();
            answered++;
        }
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        while ((!sessions.isEmpty() || !polls.isEmpty()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // waiting for clients to leave; bounded by the grace deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int cut = 0;
        for (ClientSession s : sessions) {
            s.close(ClientSession.CLOSE_GOING_AWAY, "going-away");
            cut++;
        }
        LOG.info("drained in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + told
                + " WebSocket clients told to reconnect within " + config.drainWindowMillis() + " ms, " + answered
                + " held polls answered, " + cut + " connections closed after the " + graceMillis + " ms grace");
    }

    @Override
    public void close() {
        if (!draining) drain(Math.min(2_000, config.drainWindowMillis()));
        scheduler.shutdownNow();
        worker.shutdown();
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
            // Tomcat reports threads still running after stop as leaks: let the timer finish first.
            scheduler.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.shutdownNow();
        broker.close();
        fanout.close();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
