package io.tally.testing;

import io.tally.Brokers;
import io.tally.Transports;
import io.tally.config.Settings;
import io.tally.realtime.Realtime;
import io.tally.realtime.RealtimeConfig;
import io.tally.realtime.session.RealtimeCore;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Map;
import java.util.Set;
import org.glassfish.tyrus.server.Server;

/**
 * Tally's WebSocket endpoint in Tyrus on Grizzly, no servlet container at all: proves the endpoint
 * uses the standard API only. Tyrus instantiates its configuration class itself, so the endpoint
 * config is handed over through a static slot (tests only; one server at a time).
 */
public final class TyrusTally implements AutoCloseable {
    private static volatile ServerEndpointConfig pending;

    private final Server server;
    private final Realtime realtime;
    private final int port;

    private TyrusTally(Server server, Realtime realtime, int port) {
        this.server = server;
        this.realtime = realtime;
        this.port = port;
    }

    public static synchronized TyrusTally start(Map<String, String> settings) {
        RealtimeConfig config = RealtimeConfig.from(new Settings(settings::get));
        RealtimeCore realtime = RealtimeCore.create(config, Brokers.create(config));
        int port = Ports.free();
        pending = Transports.webSocketEndpoint(realtime.transportHooks());
        Server server = new Server("127.0.0.1", port, "/", Map.of(), AppConfig.class);
        try {
            server.start();
        } catch (Exception e) {
            realtime.close();
            throw new IllegalStateException("cannot start Tyrus", e);
        } finally {
            pending = null;
        }
        return new TyrusTally(server, realtime, port);
    }

    public Realtime realtime() {
        return realtime;
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + port + "/live/ws";
    }

    @Override
    public void close() {
        realtime.close();
        server.stop();
    }

    /** Instantiated by Tyrus during {@code start()}. */
    public static final class AppConfig implements ServerApplicationConfig {
        @Override
        public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> endpointClasses) {
            return Set.of(pending);
        }

        @Override
        public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
            return Set.of();
        }
    }
}
