package io.tally.chaos;

import java.time.Duration;
import java.util.Set;

/**
 * {@code bin/chaos}: the fault campaign, the soak and the reconnect storm.
 * <pre>
 *   bin/chaos [--minutes M | --seconds S] [--seed N] [--faults kill-instance,redis-restart-empty,...]
 *   bin/chaos --each-once --seed N [--faults ...]    (each fault once, as ChaosCampaignIT runs it)
 *   bin/chaos --soak [--minutes 30] [--viewers 1000] [--rate 10]
 *   bin/chaos --storm [--viewers 5000]
 * </pre>
 * Exit status 0 when the checker finds nothing, 1 otherwise.
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
                Campaign.Options o = eachOnce
                        ? new Campaign.Options(seed, Duration.ZERO, faults, 16, 2, 4, true, System.out)
                        : Campaign.Options.of(
                                seed, duration == null ? Duration.ofMinutes(2) : duration, faults, System.out);
                ok = new Campaign(o).run().checker().passed();
            }
        }
        System.exit(ok ? 0 : 1);
    }
}
