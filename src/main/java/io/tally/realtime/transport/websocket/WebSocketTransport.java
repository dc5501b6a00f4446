package io.tally.realtime.transport.websocket;

import io.tally.realtime.transport.ConnectionHandler;
import io.tally.realtime.transport.LiveGateFilter;
import io.tally.realtime.transport.TransportSettings;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Builds the {@link ServerEndpointConfig} for {@code /live/ws}. Endpoints get their collaborators
 * from this object (no static state), so several servers can live in one JVM (tests do).
 */
public final class WebSocketTransport {
    public static final String PATH = "/live/ws";
    static final String ORIGIN_ALLOWED = "tally.originAllowed";
    static final String CLIENT_ADDRESS = "tally.clientAddress";

    private final TransportSettings settings;
    private final ConnectionHandler handler;
    private final Executor closer;
    private final StallGuard stalls = new StallGuard();

    public WebSocketTransport(TransportSettings settings, ConnectionHandler handler, Executor closer) {
        this.settings = settings;
        this.handler = handler;
        this.closer = closer;
    }

    public ServerEndpointConfig endpointConfig() {
        return ServerEndpointConfig.Builder.create(WebSocketEndpoint.class, PATH)
                .configurator(new Configurator())
                .build();
    }

    TransportSettings settings() {
        return settings;
    }

    ConnectionHandler handler() {
        return handler;
    }

    Executor closer() {
        return closer;
    }

    StallGuard stalls() {
        return stalls;
    }

    /**
     * Checks the origin again at the handshake, for containers without the servlet gate (Tyrus
     * standalone); a refused connection is closed with 1008 as soon as it opens.
     */
    private final class Configurator extends ServerEndpointConfig.Configurator {
        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) {
            return endpointClass.cast(new WebSocketEndpoint(WebSocketTransport.this));
        }

        /**
         * Every browser offers permessage-deflate; accepted, it gives each viewer its own zlib state
         * and compresses every message once per viewer. Scoreboard messages are
         * small deltas, so by default nothing is negotiated (docs/PERFORMANCE.md has the figures).
         */
        @Override
        public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
            return settings.compression() ? super.getNegotiatedExtensions(installed, requested) : List.of();
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
            Map<String, List<String>> headers = request.getHeaders();
            String scheme = request.getRequestURI() != null
                            && "wss".equals(request.getRequestURI().getScheme())
                    ? "https"
                    : "http";
            boolean allowed = settings.origins()
                    .allows(
                            header(headers, "Origin"),
                            header(headers, "Host"),
                            header(headers, "X-Forwarded-Proto"),
                            scheme);
            sec.getUserProperties().put(ORIGIN_ALLOWED, allowed);
            String address = header(headers, LiveGateFilter.CLIENT_ADDRESS_HEADER);
            sec.getUserProperties().put(CLIENT_ADDRESS, address != null ? address : "unknown");
        }

        private String header(Map<String, List<String>> headers, String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                    return e.getValue().get(0);
            }
            return null;
        }
    }
}
