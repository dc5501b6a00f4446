package io.tally.doctor.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Small helpers of the CLI's checks: medians, waits, and failures put into words. */
final class Text {
    private Text() {}

    static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        return s.isEmpty() ? -1 : s.get(s.size() / 2);
    }

    static String enc(Object o) {
        return URLEncoder.encode(String.valueOf(o), StandardCharsets.UTF_8);
    }

    static String orMissing(Object o) {
        return o == null ? "(missing)" : String.valueOf(o);
    }

    static String clip(String s, int n) {
        s = s.replaceAll("\\s+", " ").trim();
        return s.length() > n ? s.substring(0, n) + "…" : s;
    }

    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException)
                return "cannot connect (" + (t.getMessage() == null ? "refused" : t.getMessage()) + ")";
            if (t instanceof java.net.UnknownHostException) return "unknown host " + t.getMessage();
            if (t instanceof java.net.http.HttpTimeoutException) return "timed out";
            if (t instanceof javax.net.ssl.SSLException) return "TLS failed: " + t.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String top = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return root == e
                ? top
                : top + " (" + root.getClass().getSimpleName()
                        + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms); // between retries of a look-up, bounded by the caller's count
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
