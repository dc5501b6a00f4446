package io.tally.realtime;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.RawHandshake;
import io.tally.testing.TallyServer;
import io.tally.testing.TyrusTally;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Browsers offer permessage-deflate in every handshake; Tally declines it unless configured to
 * accept, on Tomcat and Tyrus alike (the standard Configurator decides, not the container).
 */
class CompressionIT {
    @Test
    void tomcatDeclinesTheBrowsersDeflateOfferByDefault() throws Exception {
        try (TallyServer server = TallyServer.start(Map.of())) {
            RawHandshake h = RawHandshake.open(server.wsUrl(), RawHandshake.BROWSER_EXTENSIONS, 0);
            assertTrue(h.upgraded());
            assertNull(h.header("Sec-WebSocket-Extensions"), "no extension negotiated");
            h.socket().close();
        }
    }

    @Test
    void tomcatAcceptsDeflateWhenConfiguredTo() throws Exception {
        try (TallyServer server = TallyServer.start(Map.of("TALLY_WS_COMPRESSION", "true"))) {
            RawHandshake h = RawHandshake.open(server.wsUrl(), RawHandshake.BROWSER_EXTENSIONS, 0);
            assertTrue(h.upgraded());
            String ext = h.header("Sec-WebSocket-Extensions");
            assertTrue(ext != null && ext.startsWith("permessage-deflate"), "negotiated: " + ext);
            h.socket().close();
        }
    }

    @Test
    void tyrusDeclinesTheBrowsersDeflateOfferByDefault() throws Exception {
        try (TyrusTally server = TyrusTally.start(Map.of())) {
            RawHandshake h = RawHandshake.open(server.wsUrl(), RawHandshake.BROWSER_EXTENSIONS, 0);
            assertTrue(h.upgraded());
            assertNull(h.header("Sec-WebSocket-Extensions"), "no extension negotiated");
            h.socket().close();
        }
    }
}
