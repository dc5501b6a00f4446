package io.tally.realtime;

import static io.tally.testing.Frames.parse;
import static io.tally.testing.Frames.position;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.Http;
import io.tally.testing.RawWebSocket;
import io.tally.testing.TallyServer;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connection limits, per client address and per instance, at the HTTP handshake. The tests reach
 * the server from loopback, i.e. as the trusted proxy hop (nginx on Beanstalk), so the address the
 * limits count is the first X-Forwarded-For entry, from its right end, not written by a trusted proxy
 * ({@code TALLY_TRUSTED_PROXIES}).
 */
class ConnectionLimitsIT {
    /** As the ALB and then nginx append them: the client's address, then the balancer's. */
    private static String forwarded(String client) {
        return client + ", 10.0.0.2";
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<RawWebSocket> open = new ArrayList<>();
    private TallyServer server;

    @AfterEach
    void stop() {
        open.forEach(RawWebSocket::close);
        if (server != null) server.stop();
    }

    private RawWebSocket connect(String client) {
        RawWebSocket ws = RawWebSocket.connect(http, server.wsUrl(), "X-Forwarded-For", forwarded(client));
        open.add(ws);
        ws.nextOfType("welcome");
        return ws;
    }

    private HttpResponse<String> refusedHandshake(String xff) {
        CompletionException e = assertThrows(
                CompletionException.class,
                () -> open.add(RawWebSocket.connect(http, server.wsUrl(), "X-Forwarded-For", xff)));
        assertTrue(e.getCause() instanceof WebSocketHandshakeException, String.valueOf(e.getCause()));
        @SuppressWarnings("unchecked")
        HttpResponse<String> r = (HttpResponse<String>) ((WebSocketHandshakeException) e.getCause()).getResponse();
        return r;
    }

    @Test
    void oneClientAddressGetsAtMostItsShareOfConnectionsThen429AndOtherAddressesAreUnaffected() throws Exception {
        server = TallyServer.start(Map.of("TALLY_MAX_CONNECTIONS_PER_ADDRESS", "3"));
        for (int i = 0; i < 3; i++) connect("198.51.100.7");

        HttpResponse<String> refused = refusedHandshake(forwarded("198.51.100.7"));
        assertEquals(429, refused.statusCode());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());

        // Writing another address further left in X-Forwarded-For does not help: only the entries
        // the trusted hops appended are believed.
        assertEquals(
                429,
                refusedHandshake("203.0.113.66, " + forwarded("198.51.100.7")).statusCode());

        // A held poll holds a connection too: refused for the same address, admitted for another.
        HttpResponse<String> poll = Http.post(
                server.baseUrl() + "/live/poll",
                "application/json",
                "{\"rooms\":{}}",
                "X-Forwarded-For",
                forwarded("198.51.100.7"));
        assertEquals(429, poll.statusCode());
        assertEquals("too-many-connections", parse(poll.body()).get("code"));

        RawWebSocket other = connect("203.0.113.9");
        other.send("{\"type\":\"ping\",\"id\":1}");
        assertEquals(1L, other.nextOfType("pong").get("id"));

        // Closing one frees its slot.
        open.get(0).close();
        awaitAdmitted("198.51.100.7");
        assertTrue(server.realtime().metrics().rejected().get("too-many-connections") >= 3);
    }

    @Test
    void aFullInstanceRefusesNewConnectionsAndPollsWith503AndRetryAfterUntilASlotFrees() throws Exception {
        server = TallyServer.start(Map.of("TALLY_MAX_CONNECTIONS", "4", "TALLY_POLL_HOLD_MS", "20000"));
        for (int i = 1; i <= 3; i++) connect("198.51.100." + i);
        Position tip = server.realtime().tip("quiet");
        CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> Http.post(
                server.baseUrl() + "/live/poll",
                "application/json",
                "{\"rooms\":{\"quiet\":" + position(tip.epoch(), tip.offset()) + "}}",
                "X-Forwarded-For",
                forwarded("198.51.100.4")));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.realtime().status().pollsWaiting() == 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(1, server.realtime().status().pollsWaiting(), "three sockets and one held poll: full");

        HttpResponse<String> refused = refusedHandshake(forwarded("198.51.100.5"));
        assertEquals(503, refused.statusCode());
        assertTrue(Integer.parseInt(refused.headers().firstValue("Retry-After").orElse("0")) > 0);
        HttpResponse<String> poll = Http.post(
                server.baseUrl() + "/live/poll",
                "application/json",
                "{\"rooms\":{}}",
                "X-Forwarded-For",
                forwarded("198.51.100.6"));
        assertEquals(503, poll.statusCode());
        assertEquals("over-capacity", parse(poll.body()).get("code"));
        assertTrue(poll.headers().firstValue("Retry-After").isPresent());

        server.realtime().publish("quiet", "{\"n\":1}"); // answers the held poll: one slot frees
        assertEquals(200, held.get().statusCode());
        awaitAdmitted("198.51.100.5");
    }

    /** Retries a connection until admitted: slots free asynchronously when a socket closes. */
    private void awaitAdmitted(String client) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                connect(client);
                return;
            } catch (CompletionException refused) {
                if (System.nanoTime() > deadline) throw new AssertionError("never admitted again", refused);
                Thread.sleep(20);
            }
        }
    }
}
