package io.tally.observability;

import io.tally.config.Settings;
import io.tally.realtime.Realtime;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.Locale;
import java.util.logging.Formatter;

/**
 * Operations' view of an instance: structured one-line logs carrying the instance id, and
 * {@code /metrics} in Prometheus text format. Two calls from the bootstrap; nothing else here is
 * public.
 */
public final class Observability {
    /** Shortest metrics token accepted: a bearer secret must not be guessable. */
    static final int MIN_TOKEN_LENGTH = 16;

    private Observability() {}

    /**
     * Installs structured logging for the {@code io.tally} loggers. Call first, so even start-up
     * lines are structured; close it last, when the webapp stops.
     */
    public static StructuredLogging installLogging(String instanceId, Settings settings) {
        return StructuredLogging.install(lineFormat(instanceId, settings), System.err);
    }

    /** {@code TALLY_LOG_FORMAT}: {@code logfmt} (the default) or {@code json}, one object per line. */
    static Formatter lineFormat(String instanceId, Settings settings) {
        Redactor redactor = Redactor.from(settings, System.getenv());
        String format = settings.string("TALLY_LOG_FORMAT", "logfmt").trim().toLowerCase(Locale.ROOT);
        return switch (format) {
            case "logfmt" -> new LogLineFormatter(instanceId, redactor);
            case "json" -> new JsonLogFormatter(instanceId, redactor);
            default -> throw new IllegalArgumentException("TALLY_LOG_FORMAT must be logfmt or json, not " + format);
        };
    }

    /** Registers {@code GET /metrics}, guarded by {@code TALLY_METRICS_TOKEN} (or loopback only; see {@link MetricsAccess}). */
    public static void installMetrics(ServletContext context, Realtime realtime, Settings settings) {
        String token = settings.string("TALLY_METRICS_TOKEN", null);
        if (token != null && token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException(
                    "TALLY_METRICS_TOKEN must be at least " + MIN_TOKEN_LENGTH + " characters");
        }
        ServletRegistration.Dynamic metrics =
                context.addServlet("tally-metrics", new MetricsServlet(realtime, new MetricsAccess(token)));
        metrics.addMapping(MetricsServlet.PATH);
    }
}
