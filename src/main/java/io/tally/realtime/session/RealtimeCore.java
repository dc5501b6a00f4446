package io.tally.realtime.session;

import io.tally.concurrent.DaemonThreads;
import io.tally.realtime.ClientAddress;
import io.tally.realtime.Conflation;
import io.tally.realtime.Metrics;
import io.tally.realtime.OriginPolicy;
import io.tally.realtime.Position;
import io.tally.realtime.Realtime;
import io.tally.realtime.RealtimeConfig;
import io.tally.realtime.RealtimeStatus;
import io.tally.realtime.RoomDirectory;
import io.tally.realtime.Rooms;
import io.tally.realtime.UnavailableException;
import io.tally.realtime.broker.Broker;
import io.tally.realtime.broker.BrokerStatus;
import io.tally.realtime.broker.History;
import io.tally.realtime.broker.HistoryReader;
import io.tally.realtime.protocol.FrameDecoder;
import io.tally.realtime.protocol.Frames;
import io.tally.realtime.transport.Connection;
import io.tally.realtime.transport.ConnectionHandler;
import io.tally.realtime.transport.PollHandler;
import io.tally.realtime.transport.TransportHooks;
import io.tally.realtime.transport.TransportSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The real-time core behind the {@link Realtime} facade: owns the broker, the hub and fan-out, the
 * {@link Clients} (sessions and held polls), the {@link RoomCatalog}, the worker and timer threads,
 * and the heartbeat; hands the transports their hooks ({@link #transportHooks}, polls enter through
 * {@link PollIntake}). Sessions and polls reach their shared services through it.
 */
public final class RealtimeCore implements Realtime {
    private final RealtimeConfig config;
    private final Broker broker;
    private final Hub hub;
    private final HistoryReader replays;
    private final HistoryReader pollPages;
    private final Fanout fanout;
    private final FrameDecoder decoder;
    private final Metrics metrics = new Metrics();
    private final ExecutorService worker;
    private final ScheduledExecutorService scheduler;
    private final Clients clients = new Clients();
    private final ClientAddress clientAddress;
    private final Admissions admissions;
    private final RoomCatalog rooms;
    private final PollIntake polls;
    private final Audience audience;
    private final java.util.concurrent.atomic.AtomicBoolean exchangeQueued =
            new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean draining;

    private RealtimeCore(RealtimeConfig config, Broker broker) {
        this.config = config;
        this.broker = broker;
        this.decoder = new FrameDecoder(config.maxJsonDepth());
        this.clientAddress = new ClientAddress(config.trustedProxies());
        this.admissions = new Admissions(config, metrics, () -> draining, clients::count);
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        this.worker = new ThreadPoolExecutor(
                threads,
                threads,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                DaemonThreads.numbered("tally-worker"));
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.numbered("tally-timer"));
        timer.setRemoveOnCancelPolicy(true);
        this.scheduler = timer;
        this.hub = new Hub(broker, scheduler);
        this.rooms = new RoomCatalog(broker);
        this.polls = new PollIntake(this);
        this.replays = new HistoryReader(broker, History.PAGE);
        this.pollPages = new HistoryReader(broker, Poll.PAGE);
        this.fanout = new Fanout(hub, metrics, Fanout.defaultLanes());
        this.audience = new Audience(hub, broker, metrics);
        broker.start(fanout);
        scheduler.scheduleWithFixedDelay(
                this::exchangeCounts,
                config.countIntervalMillis(),
                config.countIntervalMillis(),
                TimeUnit.MILLISECONDS);
        long tick = Math.max(20, Math.min(1000, Math.min(config.heartbeatMillis(), config.peerTimeoutMillis()) / 5));
        scheduler.scheduleWithFixedDelay(this::heartbeat, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** A core over the broker the wiring chose; it starts the broker. */
    public static RealtimeCore create(RealtimeConfig config, Broker broker) {
        return new RealtimeCore(config, broker);
    }

    @Override
    public void rooms(RoomDirectory directory) {
        rooms.add(directory);
    }

    @Override
    public void countViewers(java.util.function.Predicate<String> rooms) {
        audience.count(java.util.Objects.requireNonNull(rooms));
    }

    @Override
    public void conflate(java.util.function.Predicate<String> rooms, Conflation how) {
        this.rooms.conflate(rooms, how);
    }

    /** The room's conflation, or null when it is not conflatable. */
    Conflation conflationOf(String room) {
        return rooms.conflationOf(room);
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

    /**
     * Whether a viewer may reach the room. Asked before anything is allocated for it.
     *
     * @throws UnavailableException when the broker or the directory cannot answer now
     */
    boolean reachable(String room) {
        return rooms.reachable(room);
    }

    /** What the transports need from the core; the wiring installs them with it. */
    public TransportHooks transportHooks() {
        return new TransportHooks(transportSettings(), this::open, this::poll, admissions, worker);
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

    @Override
    public Position publish(String room, String payloadJson) {
        Rooms.require(room);
        if (payloadJson == null || payloadJson.isEmpty())
            throw new IllegalArgumentException("payload must be JSON text");
        Position p = broker.publish(room, payloadJson);
        metrics.published.increment();
        return p;
    }

    @Override
    public Position tip(String room) {
        return broker.tip(Rooms.require(room));
    }

    @Override
    public HistoryExcerpt readHistory(String room, Position since, int limit) {
        HistoryReader.Page page = new HistoryReader(broker, limit).read(Rooms.require(room), since);
        if (page.isReset()) return new HistoryExcerpt(java.util.List.of(), since, page.tip(), true);
        java.util.List<String> payloads =
                new java.util.ArrayList<>(page.messages().size());
        for (io.tally.realtime.broker.Message m : page.messages()) payloads.add(m.payload());
        return new HistoryExcerpt(payloads, page.end(since), page.tip(), false);
    }

    @Override
    public ClientAddress clientAddress() {
        return clientAddress;
    }

    @Override
    public RealtimeConfig config() {
        return config;
    }

    @Override
    public Metrics metrics() {
        return metrics;
    }

    @Override
    public boolean isDraining() {
        return draining;
    }

    @Override
    public RealtimeStatus status() {
        BrokerStatus b = broker.status();
        return new RealtimeStatus(
                config.instanceId(),
                draining,
                b.mode(),
                b.available(),
                b.detail(),
                b.lagMillis(),
                b.reconnects(),
                clients.sessions(),
                clients.polls(),
                hub.roomCount(),
                metrics.published(),
                metrics.framesIn(),
                metrics.framesOut(),
                metrics.rejected());
    }

    // ---- transports' side ------------------------------------------------------------------

    /** {@link ConnectionHandler#open}: a session for a new connection, or null when draining. */
    ConnectionHandler.Inbound open(Connection connection) {
        String address = connection.clientAddress();
        admissions.opened(address);
        if (draining) {
            admissions.releaseAddress(address);
            connection.close(ClientSession.CLOSE_GOING_AWAY, "draining");
            return null;
        }
        ClientSession session = new ClientSession(this, connection, System.nanoTime());
        clients.add(session);
        return session;
    }

    /** The {@code welcome} frame for a transport. */
    String welcome(String transport) {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("maxFrameBytes", config.maxFrameBytes());
        limits.put("maxRooms", config.maxRoomsPerConnection());
        limits.put("pollHold", config.pollHoldMillis());
        return Frames.welcome(
                config.instanceId(),
                transport,
                config.heartbeatMillis(),
                config.peerTimeoutMillis(),
                limits,
                System.currentTimeMillis());
    }

    void sessionClosed(ClientSession session) {
        if (clients.remove(session))
            admissions.releaseAddress(session.connection().clientAddress());
    }

    /** {@link PollHandler#poll}: see {@link PollIntake}. */
    void poll(String body, String clientAddress, PollHandler.PollReply reply) {
        polls.accept(body, clientAddress, reply);
    }

    void pollStarted(Poll poll) {
        clients.add(poll);
    }

    void pollEnded(Poll poll) {
        clients.remove(poll);
    }

    // ---- internals shared with sessions and polls --------------------------------------------

    Hub hub() {
        return hub;
    }

    /** The history reader of WebSocket replays: a page per read. */
    HistoryReader replayReader() {
        return replays;
    }

    /** The history reader of polls: an answer holds one page per room. */
    HistoryReader pollReader() {
        return pollPages;
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
        admissions.sweep(now);
        long beat = TimeUnit.MILLISECONDS.toNanos(config.heartbeatMillis());
        long dead = TimeUnit.MILLISECONDS.toNanos((long) config.heartbeatMillis() + config.peerTimeoutMillis());
        clients.tick(now, beat, dead);
    }

    @Override
    public int moveClients() {
        return clients.moveSessions();
    }

    @Override
    public void drain(long graceMillis) {
        draining = true;
        clients.drain(graceMillis, config.drainWindowMillis());
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
}
