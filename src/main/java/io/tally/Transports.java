package io.tally;

import io.tally.realtime.transport.LiveGateFilter;
import io.tally.realtime.transport.TransportHooks;
import io.tally.realtime.transport.TransportSettings;
import io.tally.realtime.transport.polling.PollServlet;
import io.tally.realtime.transport.websocket.WebSocketTransport;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.EnumSet;

/** Registers both transports and their gate in a servlet context, over the core's hooks. */
public final class Transports {
    private Transports() {}

    /** Registers {@code /live/ws} and {@code /live/poll} with their origin gate. */
    public static void install(ServletContext context, TransportHooks hooks) {
        TransportSettings settings = hooks.settings();
        FilterRegistration.Dynamic gate = context.addFilter(
                "tally-live-gate", new LiveGateFilter(settings.origins(), settings.clientAddress(), hooks.admission()));
        gate.setAsyncSupported(true);
        gate.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/live/*");

        ServletRegistration.Dynamic poll = context.addServlet("tally-poll", new PollServlet(settings, hooks.polls()));
        poll.setAsyncSupported(true);
        poll.addMapping(PollServlet.PATH);

        ServerContainer container = (ServerContainer) context.getAttribute(ServerContainer.class.getName());
        if (container == null) {
            throw new IllegalStateException(
                    "this container offers no Jakarta WebSocket server (ServerContainer missing)");
        }
        try {
            container.addEndpoint(webSocketEndpoint(hooks));
        } catch (DeploymentException e) {
            throw new IllegalStateException("cannot deploy the WebSocket endpoint at " + WebSocketTransport.PATH, e);
        }
    }

    /**
     * The WebSocket endpoint alone, for containers without servlets (Tyrus standalone). Such a
     * container has no origin gate in front; the endpoint re-checks the origin itself.
     */
    public static ServerEndpointConfig webSocketEndpoint(TransportHooks hooks) {
        return new WebSocketTransport(hooks.settings(), hooks.connections(), hooks.closer()).endpointConfig();
    }
}
