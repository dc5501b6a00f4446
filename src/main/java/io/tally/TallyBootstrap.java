package io.tally;

import io.tally.config.Settings;
import io.tally.observability.Observability;
import io.tally.observability.StructuredLogging;
import io.tally.realtime.Realtime;
import io.tally.realtime.RealtimeConfig;
import io.tally.realtime.session.RealtimeCore;
import io.tally.scoreboard.wiring.Scoreboard;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Logger;

/**
 * Builds and connects the parts when the container starts the webapp, and drains them when it
 * stops it (undeploy, redeploy, SIGTERM). Settings come from servlet context parameters layered over
 * environment variables and system properties (Beanstalk's environment properties).
 */
public final class TallyBootstrap implements ServletContextListener {
    private static final Logger LOG = Logger.getLogger(TallyBootstrap.class.getName());

    private Realtime realtime;
    private AutoCloseable scoreboard;
    private StructuredLogging logging;
    private BalancerSilence balancerSilence;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Settings settings = Settings.fromEnvironment().overriddenBy(context::getInitParameter);
        RealtimeConfig config = RealtimeConfig.from(settings);
        logging = Observability.installLogging(config.instanceId(), settings);
        RealtimeCore engine = RealtimeCore.create(config, Brokers.create(config));
        realtime = engine;
        context.addFilter(
                "tally-drain", new DrainOnStop(realtime, settings.integer("TALLY_DRAIN_GRACE_MS", 5_000, 0, 120_000)));
        Observability.installMetrics(context, realtime, settings);
        io.tally.doctor.Doctor.install(context, realtime, settings);
        context.setAttribute(Realtime.class.getName(), realtime);
        long drainWindow = config.drainWindowMillis();
        Realtime core = realtime;
        balancerSilence = BalancerSilence.start(
                settings.integer("TALLY_LB_SILENCE_MS", 15_000, 0, 600_000),
                () -> LOG.info("told " + core.moveClients() + " WebSocket clients to reconnect elsewhere within "
                        + drainWindow + " ms"));
        context.addServlet("tally-healthz", new Healthz(realtime, balancerSilence))
                .addMapping("/healthz");
        try {
            scoreboard = Scoreboard.install(context, realtime, settings);
            // After the app's filters, which run in registration order: the live gate's refusals
            // then carry the security headers too.
            Transports.install(context, engine.transportHooks());
        } catch (RuntimeException e) {
            balancerSilence.close();
            realtime.close(); // a failed start must not leave the core's threads running
            throw e;
        }
        LOG.info("Tally started: instance " + config.instanceId() + ", broker "
                + realtime.status().brokerMode() + ", heartbeat " + config.heartbeatMillis() + " ms, poll hold "
                + config.pollHoldMillis() + " ms");
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (balancerSilence != null) balancerSilence.close();
        if (realtime != null) {
            LOG.info("Tally stopping");
            realtime.close(); // drained already by DrainOnStop; close() drains briefly itself if not
        }
        if (scoreboard != null) {
            try {
                scoreboard.close();
            } catch (Exception e) {
                LOG.warning("closing the scoreboard's stores failed: " + e);
            }
        }
        if (logging != null) logging.close(); // last, so the lines above are structured too
    }

    /**
     * Liveness for the load balancer: answers at once and touches nothing external (a Redis outage
     * must not take every instance out of the balancer). 503 while draining, so the balancer stops
     * sending new clients to an instance that is shutting down.
     */
    private static final class Healthz extends HttpServlet {
        private final Realtime realtime;
        private final BalancerSilence silence;

        Healthz(Realtime realtime, BalancerSilence silence) {
            this.realtime = realtime;
            this.silence = silence;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (BalancerSilence.isHealthCheck(request.getHeader("User-Agent"))) silence.checked();
            response.setContentType("text/plain;charset=UTF-8");
            response.setHeader("Cache-Control", "no-store");
            if (realtime.isDraining()) {
                response.setStatus(503);
                response.getWriter().write("draining\n");
            } else {
                response.getWriter().write("ok\n");
            }
        }
    }
}
