package io.tally.observability;

import io.tally.json.JsonWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One log record per line as a JSON object ({@code TALLY_LOG_FORMAT=json}), which CloudWatch Logs
 * Insights and most log shippers read into fields without a parse pattern:
 * <pre>{"time":"2026-11-25T13:20:01.123Z","level":"info","instance":"web-7f3a","logger":"io.tally.TallyBootstrap","thread":"main","message":"Tally started"}</pre>
 * An exception adds {@code exception} (its class and message) and {@code stack}. The same fields and
 * the same {@link Redactor} as the logfmt lines; JSON escaping keeps a record on one line.
 */
final class JsonLogFormatter extends Formatter {
    private final String instance;
    private final Redactor redactor;

    JsonLogFormatter(String instance, Redactor redactor) {
        this.instance = instance;
        this.redactor = redactor;
    }

    @Override
    public String format(LogRecord record) {
        JsonWriter w = new JsonWriter(new StringBuilder(200))
                .beginObject()
                .field("time", Instant.ofEpochMilli(record.getMillis()).toString())
                .field("level", LogLineFormatter.level(record.getLevel()))
                .field("instance", instance)
                .field("logger", record.getLoggerName() == null ? "" : record.getLoggerName())
                .field("thread", redactor.redact(thread(record)))
                .field("message", redactor.redact(formatMessage(record)));
        Throwable t = record.getThrown();
        if (t != null) {
            w.field("exception", redactor.redact(t.toString()));
            w.field("stack", redactor.redact(LogLineFormatter.stack(t)));
        }
        return w.endObject().toString() + "\n";
    }

    /**
     * A record carries only its thread's id; handlers format on the logging thread, so its name is
     * the current thread's unless the record was handed on.
     */
    private static String thread(LogRecord record) {
        Thread current = Thread.currentThread();
        return current.getId() == record.getLongThreadID() ? current.getName() : "thread-" + record.getLongThreadID();
    }
}
