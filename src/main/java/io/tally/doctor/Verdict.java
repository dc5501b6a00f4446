package io.tally.doctor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One check's outcome as the page and the command line show it: {@code pass}, {@code warn} or
 * {@code fail}, a one-line summary of what was found, and (unless it passed) how to fix it.
 */
public record Verdict(String status, String summary, String fix) {
    public static final String PASS = "pass";
    public static final String WARN = "warn";
    public static final String FAIL = "fail";

    public Verdict {
        if (!PASS.equals(status) && !WARN.equals(status) && !FAIL.equals(status)) {
            throw new IllegalArgumentException("status must be pass, warn or fail: " + status);
        }
    }

    public static Verdict pass(String summary) {
        return new Verdict(PASS, summary, null);
    }

    public static Verdict warn(String summary, String fix) {
        return new Verdict(WARN, summary, fix);
    }

    public static Verdict fail(String summary, String fix) {
        return new Verdict(FAIL, summary, fix);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("summary", summary);
        m.put("fix", fix);
        return m;
    }
}
