package io.tally.observability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One log record per line, logfmt style, so log search (CloudWatch Logs Insights, grep) can filter
 * on fields:
 * <pre>ts=2026-11-25T13:20:01.123Z level=info instance=web-7f3a logger=io.tally.TallyBootstrap msg="Tally started"</pre>
 * An exception adds {@code error="…"} and {@code stack="…"} with its frames; newlines are escaped so
 * a record never spans lines. Every text field passes the {@link Redactor}.
 */
final class LogLineFormatter extends Formatter {
    private static final int MAX_STACK_CHARS = 4000;

    private final String instance;
    private final Redactor redactor;

    LogLineFormatter(String instance, Redactor redactor) {
        this.instance = instance;
        this.redactor = redactor;
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("ts=").append(Instant.ofEpochMilli(record.getMillis()));
        sb.append(" level=").append(level(record.getLevel()));
        sb.append(" instance=");
        value(sb, instance);
        sb.append(" logger=");
        value(sb, record.getLoggerName() == null ? "" : record.getLoggerName());
        sb.append(" msg=");
        quoted(sb, redactor.redact(formatMessage(record)));
        Throwable t = record.getThrown();
        if (t != null) {
            sb.append(" error=");
            quoted(sb, redactor.redact(t.toString()));
            sb.append(" stack=");
            quoted(sb, redactor.redact(stack(t)));
        }
        return sb.append('\n').toString();
    }

    /** Lower-case names most log tools know; JUL's SEVERE and WARNING become error and warn. */
    static String level(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) return "error";
        if (v >= Level.WARNING.intValue()) return "warn";
        if (v >= Level.INFO.intValue()) return "info";
        if (v >= Level.CONFIG.intValue()) return "config";
        if (v >= Level.FINE.intValue()) return "debug";
        return "trace";
    }

    static String stack(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString().strip();
        return s.length() > MAX_STACK_CHARS ? s.substring(0, MAX_STACK_CHARS) + "…" : s;
    }

    /** Bare when it is a simple token, quoted otherwise. */
    private static void value(StringBuilder sb, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c > '~') {
                quoted(sb, v);
                return;
            }
        }
        sb.append(v.isEmpty() ? "\"\"" : v);
    }

    static void quoted(StringBuilder sb, String v) {
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
            }
        }
        sb.append('"');
    }
}
