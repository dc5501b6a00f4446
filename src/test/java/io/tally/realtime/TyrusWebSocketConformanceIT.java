package io.tally.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tally.testing.RawWebSocket;
import io.tally.testing.TyrusTally;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The same suite in Tyrus on Grizzly: the endpoint depends on the Jakarta WebSocket API alone. */
class TyrusWebSocketConformanceIT extends WebSocketConformance {
    private TyrusTally server;

    @Override
    protected String start(Map<String, String> settings) {
        server = TyrusTally.start(settings);
        closeLater(server);
        // The protocol's suite subscribes to rooms before their first message: every room is open here.
        server.realtime().rooms(room -> true);
        return server.wsUrl();
    }

    @Override
    protected Realtime realtime() {
        return server.realtime();
    }

    @Test
    void aCrossSiteConnectionIsClosedWithPolicyViolationWhereNoServletGateExists() {
        String url = start(Map.of());
        RawWebSocket ws = RawWebSocket.connect(url, "https://evil.example", true);
        closeLater(ws);
        assertEquals(1008, ws.awaitClose());
    }
}
