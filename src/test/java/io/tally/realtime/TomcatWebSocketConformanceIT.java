package io.tally.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.RawWebSocket;
import io.tally.testing.TallyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The WebSocket conformance suite on embedded Tomcat 11, plus the servlet-level origin gate. */
class TomcatWebSocketConformanceIT extends WebSocketConformance {
    private TallyServer server;

    @Override
    protected String start(Map<String, String> settings) {
        server = TallyServer.start(settings);
        server.withOpenRooms();
        closeLater(server);
        return server.wsUrl();
    }

    @Override
    protected Realtime realtime() {
        return server.realtime();
    }

    @Test
    void aCrossSiteHandshakeIsRefusedWith403BeforeTheUpgrade() {
        String url = start(Map.of());
        CompletionException e = assertThrows(CompletionException.class, () -> HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .header("Origin", "https://evil.example")
                .buildAsync(URI.create(url), new java.net.http.WebSocket.Listener() {})
                .join());
        assertTrue(e.getCause() instanceof WebSocketHandshakeException, String.valueOf(e.getCause()));
        assertEquals(
                403, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    }

    @Test
    void theSameOriginIsAcceptedAlsoBehindATlsTerminatingProxy() {
        String url = start(Map.of());
        RawWebSocket direct = RawWebSocket.connect(url, "http://127.0.0.1:" + server.port(), true);
        closeLater(direct);
        assertEquals("welcome", direct.next().get("type"));
    }

    @Test
    void anAllowListedOriginIsAccepted() {
        String url = start(Map.of("TALLY_ALLOWED_ORIGINS", "https://scores.example.com"));
        RawWebSocket ws = RawWebSocket.connect(url, "https://scores.example.com", true);
        closeLater(ws);
        assertEquals("welcome", ws.next().get("type"));
    }
}
