package io.tally.standin;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs the stand-in until Ctrl-C. From the project directory:
 * <pre>
 *   mvn -q -DskipTests package exec:java -Dexec.mainClass=io.tally.standin.StandInMain
 *   mvn -q -DskipTests package exec:java -Dexec.mainClass=io.tally.standin.StandInMain -Dexec.args="--broken-proxy"
 * </pre>
 * Options: --instances=N, --no-sticky, --broken-proxy, --redis / --no-redis (default: if the WAR has a Redis broker), --idle-timeout=SECONDS, --war=PATH,
 * --tomcat=11|10.1 (all instances on one line), --env=NAME=VALUE (repeatable).
 */
public final class StandInMain {
    private StandInMain() {}

    public static void main(String[] args) throws InterruptedException {
        StandInOptions o = StandInOptions.defaults();
        try {
            parse(args, o);
        } catch (IllegalArgumentException e) {
            System.err.println("stand-in: " + e.getMessage());
            System.err.println(
                    "options: --instances=N --no-sticky --broken-proxy --redis --no-redis --idle-timeout=SECONDS --war=PATH"
                            + " --tomcat=11|10.1 --env=NAME=VALUE");
            System.exit(2);
        }
        StandIn standIn;
        long t0 = System.nanoTime();
        try {
            standIn = StandIn.start(o);
        } catch (RuntimeException e) {
            // start() has already stopped whatever it started
            System.err.println("stand-in: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println();
        System.out.println("Tally stand-in is up after "
                + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms:");
        System.out.print(standIn.describe());
        System.out.println("Open " + standIn.url() + "/ in a browser. Press Ctrl-C to stop.");
        System.out.flush();
        // Ctrl-C runs the shutdown hook, which stops every process. Until then, watch for a part
        // that dies by itself (not Tomcat: a crashed instance is a scenario, not a failure).
        while (true) {
            Thread.sleep(1_000); // watchdog period, not a wait for readiness
            if (standIn.isClosed()) continue; // Ctrl-C: the shutdown hook is stopping everything
            java.util.List<String> dead = standIn.deadParts();
            if (!dead.isEmpty()) {
                System.err.println(
                        "stand-in: " + dead + " stopped unexpectedly; shutting down (logs: " + standIn.runDir() + ")");
                standIn.close();
                System.exit(1);
            }
        }
    }

    static void parse(String[] args, StandInOptions o) {
        for (String a : args) {
            if (a.isBlank()) continue;
            if (a.equals("--no-sticky")) o.sticky(false);
            else if (a.equals("--sticky")) o.sticky(true);
            else if (a.equals("--broken-proxy")) o.brokenProxy(true);
            else if (a.equals("--redis")) o.redis(true);
            else if (a.equals("--no-redis")) o.redis(false);
            else if (a.startsWith("--instances=")) o.instances(Integer.parseInt(value(a)));
            else if (a.startsWith("--idle-timeout=")) o.idleTimeout(Duration.ofSeconds(Long.parseLong(value(a))));
            else if (a.startsWith("--war=")) o.war(Path.of(value(a)));
            else if (a.startsWith("--tomcat=")) o.tomcatLines(value(a));
            else if (a.startsWith("--env=")) {
                String kv = value(a);
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("--env needs NAME=VALUE, got " + kv);
                o.env(kv.substring(0, eq), kv.substring(eq + 1));
            } else throw new IllegalArgumentException("unknown option " + a);
        }
    }

    private static String value(String arg) {
        return arg.substring(arg.indexOf('=') + 1);
    }
}
