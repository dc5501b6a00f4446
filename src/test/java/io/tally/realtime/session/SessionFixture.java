package io.tally.realtime.session;

import io.tally.config.Settings;
import io.tally.realtime.Position;
import io.tally.realtime.RealtimeConfig;
import io.tally.realtime.broker.Broker;
import io.tally.realtime.broker.memory.MemoryBroker;
import io.tally.realtime.transport.ConnectionHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cores over an in-memory broker and {@link FakeConnection} clients for the unit tier. Closing it
 * closes the clients first (so no drain grace is waited for) and then the cores.
 */
final class SessionFixture implements AutoCloseable {
    private static final String PROBE_ROOM = "live-probe";
    private static final long PROBE_ID = 999_999;

    private final List<RealtimeCore> cores = new ArrayList<>();
    private final List<FakeConnection> clients = new ArrayList<>();

    /** A core with these settings (name, value, ...) over a memory broker keeping 1,000 messages a room. */
    RealtimeCore core(String... settings) {
        return core(new MemoryBroker(1_000), settings);
    }

    RealtimeCore core(Broker broker, String... settings) {
        Map<String, String> s = new HashMap<>();
        for (int i = 0; i + 1 < settings.length; i += 2) s.put(settings[i], settings[i + 1]);
        RealtimeCore core = RealtimeCore.create(RealtimeConfig.from(new Settings(s::get)), broker);
        cores.add(core);
        return core;
    }

    /** A client connected to the core that has read its welcome. */
    Client connect(RealtimeCore core, boolean batches, int queueLimit) {
        FakeConnection c = new FakeConnection(batches, queueLimit);
        clients.add(c);
        ConnectionHandler.Inbound in = core.open(c);
        c.attach(in);
        in.onStart();
        c.nextOfType("welcome");
        return new Client(core, c, in);
    }

    /**
     * Waits until the connection's subscriptions so far are live (past their catch-up). Subscriptions
     * of one connection start one at a time, so the ack of a later one proves the earlier ones live.
     */
    static void awaitLive(RealtimeCore core, ConnectionHandler.Inbound in, FakeConnection c) {
        core.tip(PROBE_ROOM); // the room exists from here on
        in.onFrame("{\"type\":\"subscribe\",\"id\":" + PROBE_ID + ",\"room\":\"" + PROBE_ROOM + "\"}");
        c.nextMatching(f -> f instanceof Map<?, ?> m
                && "ack".equals(m.get("type"))
                && m.get("id").equals(PROBE_ID));
    }

    static String json(Position p) {
        return "{\"epoch\":\"" + p.epoch() + "\",\"offset\":\"" + p.offset() + "\"}";
    }

    @Override
    public void close() {
        for (FakeConnection c : clients) c.close(1000, "done");
        for (RealtimeCore core : cores) core.close();
    }

    /** One connected client and what it sends. */
    record Client(RealtimeCore core, FakeConnection connection, ConnectionHandler.Inbound in) {
        void send(String frame) {
            in.onFrame(frame);
        }

        /** Subscribes from {@code since} (null: from now) and waits for the ack. */
        void subscribe(long id, String room, Position since) {
            in.onFrame("{\"type\":\"subscribe\",\"id\":" + id + ",\"room\":\"" + room + "\""
                    + (since == null ? "" : ",\"since\":" + json(since)) + "}");
            connection.nextMatching(f -> f instanceof Map<?, ?> m
                    && "ack".equals(m.get("type"))
                    && m.get("id").equals(id));
        }

        /** Waits until every subscription so far is live. */
        void awaitLive() {
            SessionFixture.awaitLive(core, in, connection);
        }
    }
}
