package io.tally.observability;

import io.tally.config.Settings;
import io.tally.realtime.Realtime;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;

/**
 * Operations' view of an instance: structured one-line logs carrying the instance id, and
 * {@code /metrics} in Prometheus text format. Two calls from the bootstrap; nothing else here is
 * public.
 */
public final class Observability {
    /** Shortest metrics token accepted: a bearer secret must not be guessable. */
    static final int MIN_TOKEN_LENGTH = 16;

    private Observability() {
    }

    /**
     * Installs structured logging for the {@code io.tally} loggers. Call first, so even start-up
     * lines are structured; close it last, when the webapp stops.
     */
    public static StructuredLogging installLogging(String instanceId, Settings settings) {
        return StructuredLogging.install(instanceId, Redactor.from(settings, System.getenv()), System.err);
    }

    /** Registers {@code GET /metrics}, guarded by {@code TALLY_METRICS_TOKEN} (or loopback only; see {@link MetricsAccess}). */
    public static void installMetrics(ServletContext context, Realtime realtime, Settings settings) {
        String token = settings.string("TALLY_METRICS_TOKEN", null);
        if (token != null && token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("TALLY_METRICS_TOKEN must be at least " + MIN_TOKEN_LENGTH + " characters");
        }
        ServletRegistration.Dynamic metrics = context.addServlet("tally-metrics", new MetricsServlet(realtime, new MetricsAccess(token)));
        metrics.addMapping(MetricsServlet.PATH);
    }
}
