package io.tally.realtime.transport;

import io.tally.realtime.transport.polling.PollServlet;
import io.tally.realtime.transport.websocket.WebSocketTransport;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;

import java.util.EnumSet;
import java.util.concurrent.Executor;

/** Registers both transports and their gate in a servlet context. */
public final class Transports {
    private Transports() {
    }

    public static void install(ServletContext context, TransportSettings settings, ConnectionHandler connections,
                               PollHandler polls, Admission admission, Executor closer) {
        FilterRegistration.Dynamic gate = context.addFilter("tally-live-gate",
                new LiveGateFilter(settings.origins(), settings.clientAddress(), admission));
        gate.setAsyncSupported(true);
        gate.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/live/*");

        ServletRegistration.Dynamic poll = context.addServlet("tally-poll", new PollServlet(settings, polls));
        poll.setAsyncSupported(true);
        poll.addMapping(PollServlet.PATH);

        ServerContainer container = (ServerContainer) context.getAttribute(ServerContainer.class.getName());
        if (container == null) {
            throw new IllegalStateException("this container offers no Jakarta WebSocket server (ServerContainer missing)");
        }
        try {
            container.addEndpoint(new WebSocketTransport(settings, connections, closer).endpointConfig());
        } catch (DeploymentException e) {
            throw new IllegalStateException("cannot deploy the WebSocket endpoint at " + WebSocketTransport.PATH, e);
        }
    }
}
