package io.tally.chaos;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The campaign's summary table (Markdown, so it can go into docs/RELIABILITY.md as printed). */
final class Summary {
    private Summary() {}

    static String table(Checker c, List<Writer> writers, long seed, long wallMillis) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%nchaos summary, seed %d, %.0f s wall time%n%n", seed, wallMillis / 1000.0));
        b.append("| fault | rounds | messages | lost | duplicated | out of order | resets (why) |\n");
        b.append("|---|---:|---:|---:|---:|---:|---|\n");
        for (Map.Entry<String, Checker.Tally> e : c.byKind.entrySet()) row(b, e.getKey(), e.getValue());
        row(b, "**total**", c.total);
        long retries = writers.stream().mapToLong(w -> w.retries).sum();
        long inProgress = writers.stream().mapToLong(w -> w.inProgressAnswers).sum();
        b.append(String.format(
                "%nwrites: %d acknowledged, %d refused (final 4xx), %d without a final answer; %d retries "
                        + "(%d answered idempotency-in-progress)%n",
                c.writesAcked, c.writesRefused, c.writesUnknown, retries, inProgress));
        b.append("findings: ")
                .append(c.findings.isEmpty() ? "none" : c.findingKinds().toString())
                .append('\n');
        return b.toString();
    }

    private static void row(StringBuilder b, String kind, Checker.Tally t) {
        String resets = t.resets.isEmpty()
                ? "0"
                : t.resetCount() + " ("
                        + t.resets.entrySet().stream()
                                .map(e -> e.getValue() + " " + e.getKey())
                                .collect(Collectors.joining(", "))
                        + ")";
        b.append(String.format(
                "| %s | %d | %d | %d | %d | %d | %s |%n",
                kind, t.rounds, t.messages, t.lost, t.duplicated, t.outOfOrder, resets));
    }
}
