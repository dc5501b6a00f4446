package io.tally.realtime.transport.websocket;

import io.tally.realtime.transport.ConnectionHandler;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The JSR-356 endpoint at {@code /live/ws}: standard API only, so it runs in Tomcat 10.1/11 and in
 * Tyrus alike. It moves text frames between the socket and the protocol; nothing else.
 */
public final class WebSocketEndpoint extends Endpoint {
    private final WebSocketTransport transport;
    private ConnectionHandler.Inbound inbound;

    WebSocketEndpoint(WebSocketTransport transport) {
        this.transport = transport;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        session.setMaxTextMessageBufferSize(transport.settings().maxFrameBytes());
        session.setMaxBinaryMessageBufferSize(1024);
        session.setMaxIdleTimeout(transport.settings().idleTimeoutMillis());
        if (Boolean.FALSE.equals(session.getUserProperties().get(WebSocketTransport.ORIGIN_ALLOWED))) {
            closeQuietly(session, CloseReason.CloseCodes.VIOLATED_POLICY, "origin-forbidden");
            return;
        }
        Object address = session.getUserProperties().get(WebSocketTransport.CLIENT_ADDRESS);
        WebSocketConnection connection = new WebSocketConnection(session,
                address instanceof String a ? a : "unknown", transport.settings().sendQueueLimit(), transport.closer());
        ConnectionHandler.Inbound in = transport.handler().open(connection);
        if (in == null) return;
        inbound = in;
        session.addMessageHandler(String.class, new MessageHandler.Whole<String>() {
            @Override
            public void onMessage(String text) {
                // Containers enforce the buffer size differently (Tyrus only for partial frames):
                // check it here too, so an oversized frame is refused the same way everywhere.
                if (text.length() > transport.settings().maxFrameBytes()) {
                    closeQuietly(session, CloseReason.CloseCodes.TOO_BIG, "frame larger than " + transport.settings().maxFrameBytes() + " bytes");
                    return;
                }
                in.onFrame(text);
            }
        });
        session.addMessageHandler(ByteBuffer.class, new MessageHandler.Whole<ByteBuffer>() {
            @Override
            public void onMessage(ByteBuffer ignored) {
                closeQuietly(session, CloseReason.CloseCodes.CANNOT_ACCEPT, "binary frames are not part of the protocol");
            }
        });
        // Only now: a client answers the welcome at once, and a frame arriving before the handlers
        // are registered would make the container close the connection (1003).
        in.onStart();
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        ConnectionHandler.Inbound in = inbound;
        inbound = null;
        if (in != null) in.onClose();
    }

    @Override
    public void onError(Session session, Throwable error) {
        // The container closes the session after an error (e.g. 1009 for an oversized frame);
        // onClose then releases everything. Nothing to add here.
    }

    private static void closeQuietly(Session session, CloseReason.CloseCode code, String reason) {
        try {
            session.close(new CloseReason(code, reason));
        } catch (IOException | RuntimeException ignored) {
            // Already gone.
        }
    }
}
