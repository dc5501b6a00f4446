package io.tally.doctor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One check's outcome as the page and the command line show it: {@code pass}, {@code warn} or
 * {@code fail}, a one-line summary of what was found, and (unless it passed) the finding of the
 * catalogue ({@link Findings}) whose fix it shows.
 */
public record Verdict(String status, String summary, String fix, String finding) {
    public static final String PASS = "pass";
    public static final String WARN = "warn";
    public static final String FAIL = "fail";

    public Verdict {
        if (!PASS.equals(status) && !WARN.equals(status) && !FAIL.equals(status)) {
            throw new IllegalArgumentException("status must be pass, warn or fail: " + status);
        }
    }

    public static Verdict pass(String summary) {
        return new Verdict(PASS, summary, null, null);
    }

    /** A finding of the catalogue: its severity and fix, with this summary of what was measured. */
    public static Verdict of(String findingId, String summary) {
        Findings.Finding f = Findings.get(findingId);
        return new Verdict(f.severity(), summary, f.fix(), f.id());
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("summary", summary);
        m.put("fix", fix);
        if (finding != null) m.put("finding", finding);
        return m;
    }
}
