package io.tally.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.e2e.browser.Browser;
import io.tally.e2e.browser.BrowserPool;
import io.tally.e2e.browser.E2eArtifacts;
import io.tally.realtime.Position;
import io.tally.realtime.Realtime;
import io.tally.realtime.session.FanoutHold;
import io.tally.standin.NetworkPath;
import io.tally.testing.RedisServer;
import io.tally.testing.TallyServer;
import io.tally.testing.TcpRelay;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * Smoke test of the browser client (webapp/js/tally.js) in real browsers against Tally on embedded
 * Tomcat: WebSocket first, the fallback to long-polling, and resume across transport switches and
 * dropped connections, with every message delivered exactly once, in order.
 */
class ClientSmokeIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static TallyServer server;
    private static final BrowserPool browsers = new BrowserPool();

    @RegisterExtension
    final E2eArtifacts artifacts = new E2eArtifacts();

    private Browser browser;
    private TallyServer target; // the server the page talks to and the test publishes on
    private String room;
    private volatile int published;

    @BeforeAll
    static void startServer() {
        server = TallyServer.start(Map.of()).withOpenRooms(); // the test page plays the app: any room
    }

    @AfterAll
    static void stopServerAndBrowsers() {
        try {
            browsers.close();
        } finally {
            if (server != null) server.stop();
        }
    }

    @AfterEach
    void leavePage() {
        // The next test reuses the browser: unload this page so its connection ends now. A browser
        // that died here is replaced by the pool; its failure is the test's, not this method's.
        try {
            if (browser != null) browser.driver().get("about:blank");
        } catch (WebDriverException e) {
            System.err.println("could not leave the page in " + browser + ": " + e.getMessage());
        }
    }

    private ClientTestPage open(String engine, String query, TestInfo test) {
        return open(server, engine, query, test);
    }

    private ClientTestPage open(TallyServer on, String engine, String query, TestInfo test) {
        return open(on.baseUrl(), on, engine, query, test);
    }

    /** Opens the page at {@code pageBase} (the server itself, or a path in front of it) on server {@code on}. */
    private ClientTestPage open(String pageBase, TallyServer on, String engine, String query, TestInfo test) {
        target = on;
        room = test.getTestMethod().orElseThrow().getName() + "-" + engine;
        browser = artifacts.watch(browsers.get(engine));
        // The page subscribes from the room's current end, as an app does from a REST snapshot, so
        // what the test publishes next is delivered even if it is published before the ack.
        Position tip = realtime().tip(room);
        String since = URLEncoder.encode(room + ":" + tip.epoch() + ":" + tip.offset(), StandardCharsets.UTF_8);
        return ClientTestPage.open(
                browser.driver(),
                pageBase,
                "rooms=" + room + "&since=" + since + (query.isEmpty() ? "" : "&" + query),
                WAIT);
    }

    @Test
    void connectsOverWebSocketAndReceivesPublishedMessages(TestInfo test) {
        ClientTestPage page = open("chromium", "", test);
        page.waitForState("connected", "websocket");
        assertEquals(realtime().config().instanceId(), page.instance());
        page.waitForRtt();

        publish(5);
        page.waitForCount(5);
        assertReceivedExactlyOnceInOrder(page);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "polling"})
    void aRoomNobodyCreatedIsReportedToItsSubscriberAndTheOthersGoOn(String transport, TestInfo test) {
        // A server whose app created one room only (by publishing to it): the other is unknown.
        try (TallyServer strict = TallyServer.start(Map.of())) {
            String known = "known-" + transport;
            Position tip = strict.realtime().publish(known, "{\"n\":0}");
            browser = artifacts.watch(browsers.get("chromium"));
            String since = URLEncoder.encode(known + ":" + tip.epoch() + ":" + tip.offset(), StandardCharsets.UTF_8);
            ClientTestPage page = ClientTestPage.open(
                    browser.driver(),
                    strict.baseUrl(),
                    "rooms=" + known + ",nobody-made-this&since=" + since + "&transports=" + transport,
                    WAIT);
            page.waitForState("connected", transport);
            page.waitForError("nobody-made-this", "unknown-room");
            strict.realtime().publish(known, "{\"n\":1}");
            page.waitForCount(1);
            assertTrue(strict.realtime().status().activeRooms() <= 1, "the unknown room holds no room state");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"chromium", "webkit"})
    void messagesThatLeaveAsOneBatchEachReachTheAppOnceInOrder(String engine, TestInfo test) throws Exception {
        ClientTestPage page = open(engine, "", test);
        page.waitForState("connected", "websocket");
        publish(1);
        page.waitForCount(1); // the subscription is live
        // tally.js asks for batches; holding the fan-out while 3-7 are published makes them one frame.
        try (FanoutHold hold = FanoutHold.on(realtime(), room)) {
            publish(1);
            hold.awaitHeld();
            publish(5);
        }
        page.waitForCount(7);
        assertReceivedExactlyOnceInOrder(page);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"chromium", "webkit"})
    void fallsBackToPollingWhenTheUpgradeFailsAndStillReceivesEverything(String engine, TestInfo test) {
        // A WebSocket URL the server does not upgrade stands in for a proxy that breaks the upgrade.
        ClientTestPage page = open(engine, "wsUrl=/live/nope", test);
        page.waitForState("connected", "polling");

        publish(5);
        page.waitForCount(5);
        publish(5);
        page.waitForCount(10);
        assertReceivedExactlyOnceInOrder(page);
        assertEquals("polling", page.transportHistory());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"chromium", "webkit"})
    void switchingWebSocketToPollingAndBackMidStreamDeliversEveryMessageOnceInOrder(String engine, TestInfo test) {
        // probeInterval: the test, not a probe timer, decides when to go back to WebSocket.
        ClientTestPage page = open(engine, "probeInterval=600000", test);
        page.waitForState("connected", "websocket");
        publish(3);
        page.waitForCount(3);

        page.forceTransport("polling");
        publish(3); // while the switch is under way
        page.waitForState("connected", "polling");
        publish(3);
        page.waitForCount(9);

        page.forceTransport("websocket");
        publish(3); // while the probe is opening; the client is still polling
        page.waitForState("connected", "websocket");
        publish(3);
        page.waitForCount(15);

        assertReceivedExactlyOnceInOrder(page);
        assertEquals("websocket,polling,websocket", page.transportHistory());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"chromium", "webkit"})
    void aSteadyStreamSurvivesRepeatedSwitchesWithEveryMessageOnceInOrder(String engine, TestInfo test)
            throws Exception {
        ClientTestPage page = open(engine, "probeInterval=600000", test);
        streamAcrossSwitches(page, 1);
    }

    @Test
    void onRedisStreamOffsetsASteadyStreamSurvivesRepeatedSwitches(TestInfo test) throws Exception {
        // Redis offsets are stream ids ("1764077000000-2"): bursts of three in one millisecond make
        // offsets that differ only in MINOR, which the client must order numerically.
        try (RedisServer redis = RedisServer.start();
                TallyServer onRedis = TallyServer.start(Map.of("REDIS_URL", redis.url(), "TALLY_DRAIN_WINDOW_MS", "0"))
                        .withOpenRooms()) {
            ClientTestPage page = open(onRedis, "chromium", "probeInterval=600000", test);
            streamAcrossSwitches(page, 3);
            assertTrue(
                    page.received().stream().anyMatch(r -> r.offset().matches("\\d+-[1-9]\\d*")),
                    "some offsets share a millisecond (MINOR > 0)");
        }
    }

    /** Publishes {@code burst} messages every 10 ms while the page switches transport four times. */
    private void streamAcrossSwitches(ClientTestPage page, int burst) throws InterruptedException {
        page.waitForState("connected", "websocket");
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        try {
            publisher.scheduleAtFixedRate(() -> publish(burst), 0, 10, TimeUnit.MILLISECONDS);
            for (String transport : List.of("polling", "websocket", "polling", "websocket")) {
                int before = page.count();
                page.forceTransport(transport).waitForState("connected", transport);
                page.waitForCountAbove(before + 20); // messages flow on the new transport
            }
        } finally {
            publisher.shutdown();
            assertTrue(publisher.awaitTermination(10, TimeUnit.SECONDS));
        }
        page.waitForCount(published);
        assertReceivedExactlyOnceInOrder(page);
        assertEquals("websocket,polling,websocket,polling,websocket", page.transportHistory());
    }

    @Test
    void subscribesToMoreRoomsAtOnceThanTheServerAcceptsPerSecond() {
        // 50 subscribes (the most a connection may hold) in one burst exceed the rate limit (20/s,
        // bursts of 40): the client must send the refused ones again.
        List<String> rooms =
                IntStream.rangeClosed(1, 50).mapToObj(i -> "burst-" + i).toList();
        browser = artifacts.watch(browsers.get("chromium"));
        ClientTestPage page =
                ClientTestPage.open(browser.driver(), server.baseUrl(), "rooms=" + String.join(",", rooms), WAIT);
        page.waitForState("connected", "websocket");
        // Subscribed "from now": wait until every room is acked before publishing into it.
        page.waitForSubscribed(rooms.size());
        for (String r : rooms) realtime().publish(r, "{\"room\":\"" + r + "\"}");
        page.waitForCount(rooms.size());
        assertEquals(
                rooms.stream().sorted().toList(),
                page.received().stream()
                        .map(ClientTestPage.Received::room)
                        .sorted()
                        .toList());
    }

    @Test
    void answersServerPingsSoAShortHeartbeatNeverDropsTheConnection() {
        // Ping every 300 ms; a peer silent for 1 s more is dropped. The margin absorbs a busy machine,
        // while a client that did not answer would still be dropped well within the test.
        try (TallyServer fast = TallyServer.start(Map.of(
                        "TALLY_HEARTBEAT_MS", "300", "TALLY_PEER_TIMEOUT_MS", "1000", "TALLY_DRAIN_WINDOW_MS", "0"))
                .withOpenRooms()) {
            browser = artifacts.watch(browsers.get("chromium"));
            ClientTestPage page = ClientTestPage.open(browser.driver(), fast.baseUrl(), "rooms=heartbeat", WAIT);
            page.waitForState("connected", "websocket");
            // Twelve frames from the client span about twelve heartbeats (~3.6 s): over twice the
            // 1.3 s a silent client would last.
            long start = fast.realtime().status().framesIn();
            new FluentWait<>(fast)
                    .withTimeout(WAIT)
                    .withMessage("twelve frames from the client")
                    .until(s -> s.realtime().status().framesIn() >= start + 12);
            assertEquals(
                    0L,
                    fast.realtime().status().rejected().getOrDefault("dead-peer", 0L),
                    "the server never dropped the client as a dead peer: "
                            + fast.realtime().status().rejected());
            assertEquals(1, page.connects(), "connected once, never reconnected");
            assertEquals("connected", page.status());
        }
    }

    @Test
    void comesBackAfterTheServerRestartsAndReportsTheLostHistoryAsAReset() {
        // A short drain window: the stopping server tells clients to come back within 300 ms.
        TallyServer first =
                TallyServer.start(Map.of("TALLY_DRAIN_WINDOW_MS", "300")).withOpenRooms();
        int port = first.port();
        TallyServer second = null;
        try {
            room = "restart";
            browser = artifacts.watch(browsers.get("chromium"));
            Position tip = first.realtime().tip(room);
            ClientTestPage page = ClientTestPage.open(
                    browser.driver(),
                    first.baseUrl(),
                    "rooms=" + room + "&since=" + room + ":" + tip.epoch() + ":" + tip.offset()
                            + "&backoffMax=2000&probeInterval=1000",
                    WAIT);
            page.waitForState("connected", "websocket");
            first.realtime().publish(room, "{\"n\":1}");
            page.waitForCount(1);

            first.stop();
            first = null;
            page.waitForState("reconnecting", "");
            // The in-memory history died with the server: the new one has a new epoch.
            second = TallyServer.start("127.0.0.1", port, Map.of("TALLY_DRAIN_WINDOW_MS", "0"))
                    .withOpenRooms();
            page.waitForReset("epoch-changed");
            // Whichever transport won the race back, the client ends on WebSocket.
            page.waitForState("connected", "websocket");
            second.realtime().publish(room, "{\"n\":2}");
            page.waitForCount(2);
            assertEquals(
                    List.of("{\"n\":1}", "{\"n\":2}"),
                    page.received().stream().map(ClientTestPage.Received::data).toList());
        } finally {
            if (first != null) first.stop();
            if (second != null) second.stop();
        }
    }

    @Test
    void resumesAfterADroppedConnectionWithoutLosingMessages(TestInfo test) {
        ClientTestPage page = open("chromium", "", test);
        page.waitForState("connected", "websocket");
        publish(2);
        page.waitForCount(2);

        page.dropConnection();
        publish(4); // published while the client is away (or reconnecting)
        page.waitForState("connected", "websocket");
        publish(2);
        page.waitForCount(8);
        assertReceivedExactlyOnceInOrder(page);
    }

    @Test
    void fallsBackWhenTheUpgradeHangsWithoutAWelcomeAndKeepsPollingWhileProbesFail(TestInfo test) throws Exception {
        // A proxy that swallows WebSocket upgrades: no refusal, just no answer.
        try (TcpRelay proxy = new TcpRelay("swallowing-proxy", server.port()).swallowingUpgrades()) {
            ClientTestPage page = open(proxy.url(), server, "chromium", "welcomeTimeout=1000&probeInterval=1000", test);
            page.waitForState("connected", "polling");
            publish(3);
            page.waitForCount(3);
            // The client keeps probing WebSocket (and the probes keep hanging) while it polls.
            new FluentWait<>(proxy)
                    .withTimeout(WAIT)
                    .withMessage("a second upgrade attempt (a probe)")
                    .until(p -> p.upgradesSwallowed() >= 2);
            publish(3);
            page.waitForCount(6);
            assertEquals("polling", page.transportHistory());
            assertReceivedExactlyOnceInOrder(page);
        }
    }

    @Test
    void detectsADeadPathAfterHeartbeatPlusTimeoutAndCatchesUpWhenItReturns(TestInfo test) throws Exception {
        // Heartbeat 500 ms + timeout 1 s: a path silent for 1.5 s is dead to the client. Paused, the
        // path closes nothing, so only the client's own timer can notice.
        try (TallyServer fast = TallyServer.start(Map.of(
                                "TALLY_HEARTBEAT_MS",
                                "500",
                                "TALLY_PEER_TIMEOUT_MS",
                                "1000",
                                "TALLY_DRAIN_WINDOW_MS",
                                "0"))
                        .withOpenRooms();
                NetworkPath path = new NetworkPath(fast.port())) {
            ClientTestPage page = open(
                    path.url().toString(),
                    fast,
                    "chromium",
                    "welcomeTimeout=1000&probeInterval=1000&backoffMax=1000",
                    test);
            page.waitForState("connected", "websocket");
            publish(2);
            page.waitForCount(2);

            path.pause();
            page.waitForState("reconnecting", "");
            publish(3); // missed while the path is down
            path.resume();

            page.waitForCount(5);
            publish(2);
            page.waitForCount(7);
            assertReceivedExactlyOnceInOrder(page);
            page.waitForState("connected", "websocket"); // back on WebSocket, after polling if need be
        }
    }

    @Test
    void upgradesBackToWebSocketWhenAProbeSucceeds(TestInfo test) {
        ClientTestPage page = open("chromium", "probeInterval=500", test);
        page.waitForState("connected", "websocket");
        page.forceTransport("polling");
        publish(3);
        // No further action: the client probes WebSocket on its own while polling and switches back.
        page.waitForTransportHistory("websocket,polling,websocket");
        publish(3);
        page.waitForCount(6);
        assertReceivedExactlyOnceInOrder(page);
    }

    @Test
    void resumesPollingAfterADroppedPollWithoutLosingMessages(TestInfo test) {
        ClientTestPage page = open("chromium", "transports=polling", test);
        page.waitForState("connected", "polling");
        publish(2);
        page.waitForCount(2);

        page.dropConnection();
        publish(4);
        page.waitForState("connected", "polling");
        publish(2);
        page.waitForCount(8);
        assertReceivedExactlyOnceInOrder(page);
    }

    @Test
    void aPositionFromAnotherEpochIsReportedAsAResetAndTheRoomContinuesLive(TestInfo test) {
        room = test.getTestMethod().orElseThrow().getName();
        browser = artifacts.watch(browsers.get("chromium"));
        ClientTestPage page = ClientTestPage.open(
                browser.driver(), server.baseUrl(), "rooms=" + room + "&since=" + room + ":an-old-epoch:17", WAIT);
        page.waitForState("connected", "websocket");
        page.waitForReset("epoch-changed");

        publish(3);
        page.waitForCount(3);
        assertReceivedExactlyOnceInOrder(page);
    }

    private Realtime realtime() {
        return (target != null ? target : server).realtime();
    }

    private synchronized void publish(int n) {
        for (int i = 0; i < n; i++) {
            published++;
            realtime().publish(room, "{\"n\":" + published + "}");
        }
    }

    private void assertReceivedExactlyOnceInOrder(ClientTestPage page) {
        List<ClientTestPage.Received> received = page.received();
        List<String> expected = IntStream.rangeClosed(1, published)
                .mapToObj(n -> "{\"n\":" + n + "}")
                .toList();
        assertEquals(
                expected,
                received.stream().map(ClientTestPage.Received::data).toList(),
                "every published message once, in order");
        List<String> offsets = new ArrayList<>();
        for (ClientTestPage.Received r : received) {
            assertEquals(room, r.room());
            if (!offsets.isEmpty()) {
                String previous = offsets.get(offsets.size() - 1);
                assertTrue(Position.compareOffsets(r.offset(), previous) > 0, r.offset() + " after " + previous);
            }
            offsets.add(r.offset());
        }
    }
}
