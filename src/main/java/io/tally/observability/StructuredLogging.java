package io.tally.observability;

import java.io.OutputStream;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Routes the {@code io.tally} loggers to one-line structured records (logfmt or JSON, see
 * {@link LogLineFormatter} and {@link JsonLogFormatter}) on standard error (which the
 * Tomcat service writes to its console log). The loggers stop passing records to the container's
 * handlers, so each record appears once. In Tomcat each webapp has its own logger tree (JULI), so
 * this touches nothing outside Tally; where several Tally instances share one JVM's loggers
 * (embedded tests), the one installed last wins and closing an older one leaves it in place.
 */
public final class StructuredLogging implements AutoCloseable {
    static final String LOGGER = "io.tally";

    private final Logger logger;
    private final Handler handler;
    private final boolean usedParentHandlers;

    private StructuredLogging(Logger logger, Handler handler, boolean usedParentHandlers) {
        this.logger = logger;
        this.handler = handler;
        this.usedParentHandlers = usedParentHandlers;
    }

    static StructuredLogging install(Formatter lines, OutputStream out) {
        Logger logger = Logger.getLogger(LOGGER);
        Handler handler = new LineHandler(out, lines);
        handler.setLevel(Level.ALL); // the loggers' levels (logging.properties) decide what is logged
        boolean usedParents = logger.getUseParentHandlers();
        for (Handler h : logger.getHandlers()) {
            if (h instanceof LineHandler) logger.removeHandler(h); // a previous Tally in this JVM: replace it
        }
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
        return new StructuredLogging(logger, handler, usedParents);
    }

    @Override
    public void close() {
        handler.flush();
        boolean wasInstalled = false;
        for (Handler h : logger.getHandlers()) wasInstalled |= h == handler;
        if (!wasInstalled) return; // replaced by a later instance, which now owns the logger
        logger.removeHandler(handler);
        logger.setUseParentHandlers(usedParentHandlers);
    }

    /** Flushes every record (a crash must not swallow the last lines) and never closes the stream it was given. */
    private static final class LineHandler extends StreamHandler {
        LineHandler(OutputStream out, Formatter formatter) {
            super(out, formatter);
            try {
                setEncoding("UTF-8");
            } catch (java.io.UnsupportedEncodingException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public synchronized void publish(java.util.logging.LogRecord record) {
            super.publish(record);
            flush();
        }

        @Override
        public synchronized void close() {
            flush(); // the stream is standard error: it outlives this webapp
        }
    }
}
