package io.tally.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code bin/chaos}: the fault campaign, the soak and the reconnect storm.
 * <pre>
 *   bin/chaos [--minutes M | --seconds S] [--seed N] [--faults kill-instance,redis-restart-empty,...]
 *   bin/chaos --each-once --seed N [--faults ...]    (each fault once, as ChaosCampaignIT runs it)
 *   bin/chaos --soak [--minutes 30] [--viewers 1000] [--rate 10]
 *   bin/chaos --storm [--viewers 5000]
 * </pre>
 * Cluster faults need a Redis Cluster and the other Redis faults one server: a fault set with both
 * runs as two campaigns (one server, then a cluster), each with the instance and viewer faults and
 * half the time. Exit status 0 when the checker finds nothing, 1 otherwise.
 */
public final class ChaosMain {
    private ChaosMain() {}

    public static void main(String[] args) throws Exception {
        long seed = 42;
        Duration duration = null;
        Set<Fault> faults = Fault.all();
        String mode = "campaign";
        Integer viewers = null;
        double rate = 10;
        boolean eachOnce = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--minutes" -> duration = Duration.ofSeconds((long) (Double.parseDouble(args[++i]) * 60));
                case "--seconds" -> duration = Duration.ofSeconds(Long.parseLong(args[++i]));
                case "--faults" -> faults = Fault.parse(args[++i]);
                case "--each-once" -> eachOnce = true;
                case "--soak" -> mode = "soak";
                case "--storm" -> mode = "storm";
                case "--viewers" -> viewers = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--help", "-h" -> {
                    System.out.println("usage: bin/chaos [--minutes M|--seconds S] [--seed N] [--faults a,b,...]\n"
                            + "       bin/chaos --each-once --seed N [--faults a,b,...]   (each fault once: the CI campaign)\n"
                            + "       bin/chaos --soak [--minutes 30] [--viewers 1000] [--rate 10]\n"
                            + "       bin/chaos --storm [--viewers 5000]\nfaults:");
                    for (Fault f : Fault.all()) System.out.println("  " + f.label() + ": " + f.description);
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (try --help)");
            }
        }
        boolean ok;
        switch (mode) {
            case "soak" ->
                ok = new Soak(
                                duration == null ? Duration.ofMinutes(30) : duration,
                                viewers == null ? 1_000 : viewers,
                                rate,
                                System.out)
                        .run();
            case "storm" -> ok = new Storm(viewers == null ? 5_000 : viewers, System.out).run();
            default -> {
                Duration time = duration == null ? Duration.ofMinutes(2) : duration;
                List<Set<Fault>> legs = legs(faults);
                ok = true;
                List<String> verdicts = new ArrayList<>();
                for (Set<Fault> leg : legs) {
                    Duration share = time.dividedBy(legs.size());
                    Campaign.Options o = eachOnce
                            ? new Campaign.Options(seed, Duration.ZERO, leg, 16, 2, 4, true, System.out)
                            : Campaign.Options.of(seed, share, leg, System.out);
                    boolean passed = new Campaign(o).run().checker().passed();
                    verdicts.add((passed ? "PASS" : "FAIL") + " "
                            + leg.stream().map(Fault::label).collect(Collectors.joining(",")));
                    ok &= passed;
                }
                if (legs.size() > 1) System.out.println("chaos: seed " + seed + ": " + String.join("; ", verdicts));
            }
        }
        System.exit(ok ? 0 : 1);
    }

    /** One campaign per deployment the faults need: one Redis server, and/or a Redis Cluster. */
    static List<Set<Fault>> legs(Set<Fault> faults) {
        Set<Fault> common = EnumSet.noneOf(Fault.class);
        Set<Fault> one = EnumSet.noneOf(Fault.class);
        Set<Fault> cluster = EnumSet.noneOf(Fault.class);
        for (Fault f : faults) (f.cluster() ? cluster : f.oneServer() ? one : common).add(f);
        if (one.isEmpty() || cluster.isEmpty()) return List.of(faults);
        one.addAll(common);
        cluster.addAll(common);
        return List.of(one, cluster);
    }
}
