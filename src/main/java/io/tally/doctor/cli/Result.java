package io.tally.doctor.cli;

import io.tally.doctor.Findings;
import io.tally.doctor.Findings.Finding;
import io.tally.doctor.Verdict;
import java.util.List;
import java.util.Map;

/**
 * One check's result: {@code status} is pass, warn or fail; unless it passed, {@code finding} is
 * the entry of the catalogue ({@link Findings}) whose fix and doc links the CLI prints.
 */
public record Result(String id, String status, String summary, Finding finding, List<String> details) {
    /** A check that passed. */
    static Result pass(String check, String summary, List<String> details) {
        return new Result(check, Verdict.PASS, summary, null, details);
    }

    /** A finding of the catalogue, reported with its own severity. */
    static Result of(String check, String findingId, String summary, List<String> details) {
        Finding f = Findings.get(findingId);
        return new Result(check, f.severity(), summary, f, details);
    }

    /** A check that needs the WebSocket the first check opened. */
    static Result needsWebSocket(String check) {
        return of(check, "needs.websocket", "Not run: it needs a working WebSocket.", List.of());
    }

    /** A check the user skipped with {@code option}. */
    static Result skipped(String check, String option) {
        return of(check, "skipped", "Skipped (" + option + ").", List.of());
    }

    /**
     * A verdict the server judged ({@code verdict} of /doctor/api/config or /redis). Its fix comes
     * from the catalogue when the server names a finding this client knows, else as the server sent it.
     */
    static Result fromServer(String check, Map<?, ?> v, List<String> details) {
        String status = String.valueOf(v.get("status"));
        if (!status.equals(Verdict.PASS) && !status.equals(Verdict.WARN)) status = Verdict.FAIL;
        Finding f = null;
        if (v.get("finding") instanceof String id && Findings.all().containsKey(id)) f = Findings.get(id);
        else if (v.get("fix") instanceof String fix) f = new Finding(null, status, null, fix, List.of());
        return new Result(check, status, String.valueOf(v.get("summary")), f, details);
    }

    /** The same finding with a milder status, when the evidence for it is weaker. */
    Result as(String newStatus) {
        return new Result(id, newStatus, summary, finding, details);
    }

    /** The fix text, or null when it passed. */
    public String fix() {
        return finding == null ? null : finding.fix();
    }
}
