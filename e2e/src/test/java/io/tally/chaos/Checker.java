package io.tally.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Judges a campaign from the raw client logs alone (viewers' frames, writers' answers), never from
 * a page or the server's own account:
 * <ul>
 *   <li>every message once and in order per viewer, or an explicit reset: a message seen twice is a
 *       duplicate, one older than the last is out of order, and an offset of the viewer's epoch that
 *       some viewer received (or a writer was acknowledged at) but this one skipped without a reset
 *       is lost — also at the end, when every viewer must have caught up with the room;</li>
 *   <li>one reset per lost history: a viewer reset with {@code epoch-changed} into the epoch it is
 *       already in was reset twice;</li>
 *   <li>every acknowledged write applied once: no two writes acknowledged as the same version, no
 *       version carrying two different states, and the final score equal to the writers' intent
 *       (the sum of the acknowledged points).</li>
 * </ul>
 * Each finding is attributed to the fault round during which it happened.
 */
final class Checker {
    record Round(String kind, long start, String detail) {}

    record Finding(long t, String kind, String detail) {}

    /** Per fault kind: rounds, messages delivered, and what went wrong. */
    static final class Tally {
        int rounds;
        long messages;
        long lost;
        long duplicated;
        long outOfOrder;
        final Map<String, Long> resets = new LinkedHashMap<>();

        long resetCount() {
            return resets.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    final Map<String, Tally> byKind = new LinkedHashMap<>();
    final List<Finding> findings = new ArrayList<>();
    final Tally total = new Tally();
    long writesAcked;
    long writesUnknown;
    long writesRefused;

    private final List<Round> rounds;

    Checker(List<Round> rounds) {
        this.rounds = rounds;
        for (Round r : rounds) byKind.computeIfAbsent(r.kind(), k -> new Tally()).rounds++;
        total.rounds = rounds.size();
    }

    private Tally at(long t) {
        Round in = rounds.isEmpty() ? null : rounds.get(0);
        for (Round r : rounds) {
            if (r.start() <= t) in = r;
            else break;
        }
        return in == null ? total : byKind.get(in.kind());
    }

    private String roundAt(long t) {
        Round in = null;
        for (Round r : rounds) {
            if (r.start() <= t) in = r;
            else break;
        }
        return in == null ? "start" : in.kind() + "@" + in.start() + "ms";
    }

    private void find(long t, String kind, String detail) {
        findings.add(new Finding(t, kind, detail + " (during " + roundAt(t) + ")"));
    }

    /** Delivery: the viewers' logs of one room, with the positions writers were acknowledged at. */
    void checkRoom(String room, List<List<Viewer.Entry>> logs, List<Writer.Ack> acks) {
        Map<String, TreeSet<String>> canonical = new HashMap<>();
        Map<String, Long> versionAt = new HashMap<>();
        for (List<Viewer.Entry> log : logs) {
            for (Viewer.Entry e : log) {
                if (!e.kind().equals("msg")) continue;
                canonical
                        .computeIfAbsent(e.pos().epoch(), k -> new TreeSet<>(Pos::compareOffsets))
                        .add(e.pos().offset());
                Long before = versionAt.putIfAbsent(e.pos().toString(), e.version());
                if (before != null && before != e.version()) {
                    find(e.t(), "inconsistent", room + " " + e.pos() + " carried v" + before + " and v" + e.version());
                }
            }
        }
        for (Writer.Ack a : acks) {
            if (a.position() != null) {
                canonical
                        .computeIfAbsent(a.position().epoch(), k -> new TreeSet<>(Pos::compareOffsets))
                        .add(a.position().offset());
            }
        }
        for (int v = 0; v < logs.size(); v++) checkViewer(room, v, logs.get(v), canonical);
    }

    private void checkViewer(String room, int viewer, List<Viewer.Entry> log, Map<String, TreeSet<String>> canonical) {
        String epoch = null;
        String last = null;
        Map<String, Set<String>> seen = new HashMap<>();
        long lastT = 0;
        for (Viewer.Entry e : log) {
            lastT = e.t();
            switch (e.kind()) {
                case "snapshot" -> {
                    epoch = e.pos().epoch();
                    last = e.pos().offset();
                }
                case "ack" -> {
                    if (epoch == null && e.pos() != null) {
                        epoch = e.pos().epoch();
                        last = e.pos().offset();
                    }
                }
                case "reset" -> {
                    String reason = e.detail().split(" ")[0];
                    Tally t = at(e.t());
                    t.resets.merge(reason, 1L, Long::sum);
                    total.resets.merge(reason, 1L, Long::sum);
                    if ("epoch-changed".equals(reason) && e.pos().epoch().equals(epoch)) {
                        find(
                                e.t(),
                                "repeated-reset",
                                "viewer " + viewer + " in " + room + " was already in epoch " + epoch + " (at " + last
                                        + ") and was reset into it again, to "
                                        + e.pos().offset());
                    }
                    epoch = e.pos().epoch();
                    last = e.pos().offset();
                }
                case "msg" -> {
                    Tally t = at(e.t());
                    t.messages++;
                    total.messages++;
                    String off = e.pos().offset();
                    if (epoch != null && !epoch.equals(e.pos().epoch())) {
                        find(
                                e.t(),
                                "silent-epoch-change",
                                "viewer " + viewer + " in " + room + " got " + e.pos() + " while in epoch " + epoch
                                        + " without a reset");
                        epoch = e.pos().epoch();
                        last = "0";
                    }
                    if (epoch == null) {
                        epoch = e.pos().epoch();
                        last = "0";
                    }
                    Set<String> mine = seen.computeIfAbsent(epoch, k -> new HashSet<>());
                    if (mine.contains(off)) {
                        t.duplicated++;
                        total.duplicated++;
                        if (total.duplicated <= 20)
                            find(e.t(), "duplicate", "viewer " + viewer + " in " + room + " got " + e.pos() + " again");
                    } else if (Pos.compareOffsets(off, last) <= 0) {
                        t.outOfOrder++;
                        total.outOfOrder++;
                        find(
                                e.t(),
                                "out-of-order",
                                "viewer " + viewer + " in " + room + " got " + e.pos() + " after " + last);
                    } else {
                        long gap = missing(canonical.get(epoch), last, off, mine, false);
                        if (gap > 0) {
                            t.lost += gap;
                            total.lost += gap;
                            find(
                                    e.t(),
                                    "lost",
                                    "viewer " + viewer + " in " + room + " skipped " + gap + " message(s) of epoch "
                                            + epoch + " between " + last + " and " + off + " without a reset");
                        }
                        last = off;
                    }
                    mine.add(off);
                }
                default -> {}
            }
        }
        if (epoch != null) {
            long tail = missing(canonical.get(epoch), last, null, seen.getOrDefault(epoch, Set.of()), true);
            if (tail > 0) {
                Tally t = at(lastT);
                t.lost += tail;
                total.lost += tail;
                find(
                        lastT,
                        "lost",
                        "viewer " + viewer + " in " + room + " never received the last " + tail
                                + " message(s) of epoch " + epoch + " after " + last);
            }
        }
    }

    private static long missing(TreeSet<String> all, String after, String before, Set<String> seen, boolean toEnd) {
        if (all == null) return 0;
        var range = toEnd ? all.tailSet(after, false) : all.subSet(after, false, before, false);
        return range.stream().filter(o -> !seen.contains(o)).count();
    }

    /** Writes: acknowledged once per version, one state per version, and the final score equal to the intent. */
    void checkGame(
            String game,
            List<Writer.Ack> acks,
            List<Writer.Unknown> unknown,
            long finalHome,
            long finalAway,
            List<List<Viewer.Entry>> logs,
            long at) {
        writesAcked += acks.size();
        writesUnknown += unknown.size();
        Map<Long, Writer.Ack> byVersion = new HashMap<>();
        long home = 0;
        long away = 0;
        for (Writer.Ack a : acks) {
            if (a.team().equals("home")) home += a.points();
            else away += a.points();
            Writer.Ack other = byVersion.putIfAbsent(a.version(), a);
            if (other != null && !other.key().equals(a.key())) {
                find(
                        a.ackedAt(),
                        "version-acked-twice",
                        "game " + game + " v" + a.version() + " acknowledged for two writes ("
                                + other.key() + " on " + other.instance() + " at " + other.ackedAt() + " ms, " + a.key()
                                + " on "
                                + a.instance() + " at " + a.ackedAt() + " ms)");
            }
        }
        Map<Long, String> stateOf = new HashMap<>();
        for (List<Viewer.Entry> log : logs) {
            for (Viewer.Entry e : log) {
                if (!e.kind().equals("msg") || e.version() < 0) continue;
                String before = stateOf.putIfAbsent(e.version(), e.detail());
                if (before != null && !before.equals(e.detail())) {
                    find(
                            e.t(),
                            "divergent-version",
                            "game " + game + " v" + e.version() + " reached viewers as " + before + " and as "
                                    + e.detail());
                    stateOf.put(e.version(), e.detail()); // report each divergence once
                }
            }
        }
        long uHome = unknown.stream()
                .filter(u -> u.team().equals("home"))
                .mapToLong(Writer.Unknown::points)
                .sum();
        long uAway = unknown.stream()
                .filter(u -> u.team().equals("away"))
                .mapToLong(Writer.Unknown::points)
                .sum();
        boolean homeOk = finalHome >= home && finalHome <= home + uHome;
        boolean awayOk = finalAway >= away && finalAway <= away + uAway;
        if (!homeOk || !awayOk) {
            find(
                    at,
                    "final-state",
                    "game " + game + " ends " + finalHome + "-" + finalAway
                            + " but the acknowledged writes make " + home + "-" + away
                            + (unknown.isEmpty()
                                    ? ""
                                    : " (+ up to " + uHome + "-" + uAway + " of writes with no final answer)"));
        }
    }

    boolean passed() {
        return findings.isEmpty();
    }

    /** Counts of findings by kind, e.g. {lost=3, repeated-reset=12}. */
    Map<String, Integer> findingKinds() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Finding f : findings) m.merge(f.kind(), 1, Integer::sum);
        return m;
    }
}
