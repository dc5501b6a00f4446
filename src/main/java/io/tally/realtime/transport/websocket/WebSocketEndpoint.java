package io.tally.realtime.transport.websocket;

import io.tally.realtime.transport.ConnectionHandler;
import io.tally.realtime.transport.TransportSettings;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The JSR-356 endpoint at {@code /live/ws}: standard API only, so it runs in Tomcat 10.1/11 and in
 * Tyrus alike. It moves text frames between the socket and the protocol; nothing else.
 */
public final class WebSocketEndpoint extends Endpoint {
    /** The container's per-connection text buffer; frames up to maxFrameBytes still arrive whole (see {@link FrameAssembler}). */
    static final int TEXT_BUFFER_CHARS = 512;

    private final WebSocketTransport transport;
    private ConnectionHandler.Inbound inbound;

    WebSocketEndpoint(WebSocketTransport transport) {
        this.transport = transport;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        // Tomcat keeps a text buffer of this many chars for the connection's whole life (64 Ki chars =
        // 128 KiB per viewer at maxFrameBytes): a small buffer plus a partial handler that assembles the
        // rare larger frame, up to maxFrameBytes, costs 1 KiB instead.
        session.setMaxTextMessageBufferSize(Math.min(transport.settings().maxFrameBytes(), TEXT_BUFFER_CHARS));
        session.setMaxBinaryMessageBufferSize(512);
        // No container idle timeout: the protocol's heartbeat already closes a silent peer
        // (ClientSession.tick), and in Tyrus setting one here races the zero-delay idle task it
        // schedules at session creation, which then closes the session before the welcome.
        if (Boolean.FALSE.equals(session.getUserProperties().get(WebSocketTransport.ORIGIN_ALLOWED))) {
            closeQuietly(session, CloseReason.CloseCodes.VIOLATED_POLICY, "origin-forbidden");
            return;
        }
        Object address = session.getUserProperties().get(WebSocketTransport.CLIENT_ADDRESS);
        List<String> batch = session.getRequestParameterMap().get("batch");
        TransportSettings settings = transport.settings();
        WebSocketConnection connection = new WebSocketConnection(
                session,
                address instanceof String a ? a : "unknown",
                batch != null && batch.contains("1"),
                settings.sendQueueLimit(),
                settings.inlineSends() && WebSocketConnection.boundsBlockingSends(session),
                settings.sendTimeoutMillis(),
                transport.closer(),
                transport.stalls());
        ConnectionHandler.Inbound in = transport.handler().open(connection);
        if (in == null) return;
        inbound = in;
        session.addMessageHandler(
                String.class,
                new FrameAssembler(session, in, transport.settings().maxFrameBytes()));
        session.addMessageHandler(ByteBuffer.class, new MessageHandler.Whole<ByteBuffer>() {
            @Override
            public void onMessage(ByteBuffer ignored) {
                closeQuietly(
                        session, CloseReason.CloseCodes.CANNOT_ACCEPT, "binary frames are not part of the protocol");
            }
        });
        // Only now: a client answers the welcome at once, and a frame arriving before the handlers
        // are registered would make the container close the connection (1003). And not from inside
        // onOpen: Tyrus sometimes never completes an asynchronous send started before the handshake
        // has finished, which would leave every later frame queued behind it.
        transport.closer().execute(in::onStart);
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

    /**
     * Joins the parts of a text frame larger than the container's buffer and hands whole frames on;
     * a frame over {@code maxFrameBytes} closes the connection with 1009, as a whole-message handler
     * with a buffer of that size would.
     */
    static final class FrameAssembler implements MessageHandler.Partial<String> {
        private final Session session;
        private final ConnectionHandler.Inbound in;
        private final int max;
        private StringBuilder parts;
        private boolean tooBig;

        FrameAssembler(Session session, ConnectionHandler.Inbound in, int max) {
            this.session = session;
            this.in = in;
            this.max = max;
        }

        @Override
        public void onMessage(String part, boolean last) {
            if (tooBig) return;
            if (parts == null && last) {
                if (part.length() > max) {
                    tooBig();
                    return;
                }
                in.onFrame(part); // the usual case: the whole frame in one part, nothing copied
                return;
            }
            if (parts == null) parts = new StringBuilder(Math.min(max, Math.max(2 * part.length(), 1024)));
            if (parts.length() + part.length() > max) {
                tooBig();
                return;
            }
            parts.append(part);
            if (last) {
                String whole = parts.toString();
                parts = null;
                in.onFrame(whole);
            }
        }

        private void tooBig() {
            tooBig = true;
            parts = null;
            closeQuietly(session, CloseReason.CloseCodes.TOO_BIG, "frame larger than limits.maxFrameBytes");
        }
    }
}
