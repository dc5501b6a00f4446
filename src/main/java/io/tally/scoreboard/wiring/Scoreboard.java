package io.tally.scoreboard.wiring;

import io.tally.config.Settings;
import io.tally.realtime.Realtime;
import io.tally.realtime.RealtimeStatus;
import io.tally.redis.RedisTarget;
import io.tally.scoreboard.GameConflation;
import io.tally.scoreboard.GameNotFound;
import io.tally.scoreboard.RoomFeed;
import io.tally.scoreboard.SampleGame;
import io.tally.scoreboard.Scorekeeper;
import io.tally.scoreboard.api.AdminToken;
import io.tally.scoreboard.api.ApiServlet;
import io.tally.scoreboard.api.ApiSettings;
import io.tally.scoreboard.api.RealtimeReport;
import io.tally.scoreboard.api.StatusReport;
import io.tally.scoreboard.api.WriteLimiter;
import io.tally.scoreboard.game.Game;
import io.tally.scoreboard.game.GameJson;
import io.tally.scoreboard.store.Stores;
import io.tally.scoreboard.web.WebPages;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The app's wiring, called by {@code TallyBootstrap} once the real-time core is up: builds the stores,
 * the scorer's token, the API and status servlets and the security-headers filter, and seeds the
 * sample game. The returned handle closes the stores.
 */
public final class Scoreboard {
    /**
     * The servlet context parameter ({@code true}) with which a local launcher asks for a scorer token
     * to be generated when TALLY_ADMIN_TOKEN is unset. Read from the context only, not from settings:
     * environment variables and Beanstalk's environment properties cannot set it, so a deployed WAR
     * without a token refuses to start instead.
     */
    public static final String GENERATE_TOKEN_PARAMETER = "io.tally.generate-admin-token";

    private static final Logger LOG = Logger.getLogger(Scoreboard.class.getName());

    private Scoreboard() {}

    public static AutoCloseable install(ServletContext ctx, Realtime realtime, Settings settings) {
        return install(ctx, realtime, settings, System.out);
    }

    static AutoCloseable install(ServletContext ctx, Realtime realtime, Settings settings, PrintStream console) {
        Clock clock = Clock.systemUTC();
        ApiSettings api = ApiSettings.from(settings);
        String redisUrl = settings.string("REDIS_URL", null);
        AdminToken token = adminToken(
                settings, "true".equals(ctx.getInitParameter(GENERATE_TOKEN_PARAMETER)), redisUrl != null, console);
        boolean sample = settings.bool("TALLY_SAMPLE_GAME", redisUrl == null);
        RedisTarget redis =
                redisUrl == null ? null : RedisTarget.parse(redisUrl, settings.bool("REDIS_CLUSTER", false));
        boolean tls = redis != null && redis.tls();
        Stores stores = redis == null ? Stores.memory(clock) : redisStores(redis, settings);

        Scorekeeper scorekeeper = new Scorekeeper(stores.games(), RoomFeed.of(realtime::publish, realtime::tip), clock);
        if (sample) SampleGame.seed(scorekeeper, clock);
        realtime.rooms(scorekeeper::hasRoom);
        // "N watching" on the game pages and the board; a game room's messages merge for a slow viewer.
        realtime.countViewers(room -> room.equals(Scorekeeper.GAMES_ROOM) || room.startsWith(Game.roomOf("")));
        realtime.conflate(room -> room.startsWith(Game.roomOf("")), new GameConflation());

        StatusReport status = new StatusReport(
                stores.games(),
                tls,
                () -> report(realtime.status(), tls),
                version(ctx),
                realtime.config().instanceId());
        WriteLimiter limiter = new WriteLimiter(api.writesPerSecond(), api.writeBurst(), System::nanoTime);

        WebPages.install(ctx, settings, id -> {
            try {
                return Optional.of(GameJson.summary(scorekeeper.snapshot(id).game()));
            } catch (GameNotFound e) {
                return Optional.empty();
            }
        });

        ServletRegistration.Dynamic apiServlet = ctx.addServlet(
                "tally-api",
                new ApiServlet(
                        scorekeeper, token, api, limiter, stores.idempotency(), stores.scorers(), status, clock));
        apiServlet.addMapping("/api/*");
        ctx.addServlet("tally-readyz", status).addMapping("/readyz");
        LOG.info("Scoreboard ready: store " + stores.games().health().mode() + (sample ? ", sample game on" : ""));
        return stores;
    }

    private static Stores redisStores(RedisTarget redis, Settings settings) {
        int timeout = settings.integer("TALLY_REDIS_TIMEOUT_MS", 2_000, 100, 60_000);
        int check = settings.integer("TALLY_STORE_CHECK_MS", 2_000, 50, 600_000);
        long fallback = Stores.defaultRestoreMillis(check, timeout);
        int restore = settings.integer("TALLY_STORE_RESTORE_MS", (int) Math.min(fallback, 3_600_000), 100, 3_600_000);
        if (restore < check + timeout) {
            LOG.warning("TALLY_STORE_RESTORE_MS (" + restore
                    + ") is shorter than TALLY_STORE_CHECK_MS + TALLY_REDIS_TIMEOUT_MS (" + (check + timeout)
                    + "): after Redis loses its data, an instance may notice too late to offer its games");
        }
        return Stores.redis(redis, settings.string("TALLY_REDIS_PREFIX", "tally"), timeout, check, restore);
    }

    /**
     * From TALLY_ADMIN_TOKEN; without one the start fails, unless a local launcher asked for a token
     * to be generated: it is then printed once on the console (not the log: log files get shipped and
     * kept). There is no built-in default.
     */
    static AdminToken adminToken(Settings settings, boolean generate, boolean shared, PrintStream console) {
        String configured = settings.string("TALLY_ADMIN_TOKEN", null);
        if (configured != null) return new AdminToken(configured);
        if (!generate) {
            String why =
                    "TALLY_ADMIN_TOKEN is not set: Tally does not start without the scorers' token. Set it to a secret "
                            + "of at least " + AdminToken.MIN_LENGTH
                            + " characters as an environment property (Elastic Beanstalk: "
                            + "Configuration > Updates, monitoring, and logging > Environment properties, or `eb setenv TALLY_ADMIN_TOKEN=...`; "
                            + "elsewhere an environment variable or JVM system property).";
            LOG.severe(why);
            throw new IllegalStateException(why);
        }
        if (shared) {
            // Instances sharing Redis should share one token; each generated one works only on its own instance.
            LOG.warning(
                    "TALLY_ADMIN_TOKEN is not set: this instance generated its own scorer token (printed on the console); "
                            + "instances sharing Redis will not accept each other's. Set TALLY_ADMIN_TOKEN.");
        }
        String generated = AdminToken.generate();
        console.println();
        console.println("  Scorer token (generated for this run; set TALLY_ADMIN_TOKEN to choose one):");
        console.println("    " + generated);
        console.println();
        console.flush();
        return new AdminToken(generated);
    }

    /**
     * The core's status as the public readiness answer shows it. The broker's detail is left out: it
     * names the Redis endpoint (host, user), which is nobody's business outside the instance.
     */
    static RealtimeReport report(RealtimeStatus s, boolean tls) {
        Map<String, Object> broker = new LinkedHashMap<>();
        broker.put("mode", s.brokerMode());
        broker.put("tls", tls);
        broker.put("available", s.brokerAvailable());
        broker.put("lagMillis", s.brokerLagMillis());
        broker.put("reconnects", s.brokerReconnects());
        Map<String, Object> connections = new LinkedHashMap<>();
        connections.put("websocket", s.webSocketConnections());
        connections.put("polling", s.pollsWaiting());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("draining", s.draining());
        details.put("broker", broker);
        details.put("connections", connections);
        details.put("activeRooms", s.activeRooms());
        details.put("messagesPublished", s.messagesPublished());
        return new RealtimeReport(s.brokerAvailable() && !s.draining(), details);
    }

    private static String version(ServletContext ctx) {
        try (InputStream in = ctx.getResourceAsStream("/META-INF/maven/io.tally/tally/pom.properties")) {
            if (in == null) return "dev";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
