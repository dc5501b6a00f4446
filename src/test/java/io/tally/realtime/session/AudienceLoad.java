package io.tally.realtime.session;

import io.tally.config.Settings;
import io.tally.realtime.RealtimeConfig;
import io.tally.realtime.transport.ConnectionHandler;
import io.tally.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The "N watching" figures of docs/PERFORMANCE.md: V viewers of one room over two instances sharing a
 * real Redis (in-memory connections, so only the count path is measured: sampling, the Redis
 * exchange, the count frames), with viewers joining and leaving all the time. Prints the latency from
 * a join to every viewer showing the new total, and Redis's cost per second.
 * {@code mvn -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.tally.realtime.session.AudienceLoad -Dexec.args="10000 20"}
 */
public final class AudienceLoad {
    public static void main(String[] args) throws Exception {
        int viewers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int churn = args.length > 2 ? Integer.parseInt(args[2]) : 100; // joins and leaves per second per instance
        try (RedisServer redis = RedisServer.start()) {
            RealtimeCore a = instance(redis, "load-a");
            RealtimeCore b = instance(redis, "load-b");
            List<FakeConnection> all = new ArrayList<>();
            for (int i = 0; i < viewers; i++) all.add(viewer(i % 2 == 0 ? a : b));
            awaitAll(all, viewers, 60_000);
            System.out.println("viewers " + viewers + " subscribed over two instances; totals agree");

            // A 1 % change (smaller ones in a big room wait up to 10 s, by design): 100 join, then leave;
            // each time, until every viewer shows the new total.
            long[] joins = new long[3];
            long[] leaves = new long[3];
            for (int k = 0; k < joins.length; k++) {
                List<FakeConnection> extra = new ArrayList<>();
                long start = System.nanoTime();
                for (int i = 0; i < 100; i++) extra.add(viewer(i % 2 == 0 ? a : b));
                all.addAll(extra);
                awaitAll(all, viewers + 100, 30_000);
                joins[k] = (System.nanoTime() - start) / 1_000_000;
                all.removeAll(extra);
                start = System.nanoTime();
                for (FakeConnection c : extra) c.close(1000, "leaves");
                awaitAll(all, viewers, 30_000);
                leaves[k] = (System.nanoTime() - start) / 1_000_000;
            }
            System.out.println("100 join -> every viewer shows it (ms): " + java.util.Arrays.toString(joins)
                    + "; 100 leave (ms): " + java.util.Arrays.toString(leaves));

            // Steady churn: Redis cost per second does not follow the joins.
            Map<String, Long> before = stats(redis);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            List<FakeConnection> churned = new ArrayList<>();
            while (System.nanoTime() < end) {
                for (int i = 0; i < churn / 10; i++) {
                    churned.add(viewer(a));
                    churned.add(viewer(b));
                }
                while (churned.size() > churn) churned.remove(0).close(1000, "leaves");
                Thread.sleep(100); // pacing the churn at 10 steps per second
            }
            Map<String, Long> after = stats(redis);
            System.out.printf(
                    "churn %d joins+leaves/s per instance for %d s: Redis scripts %.2f/s, %.0f µs/s of Redis CPU in them, in %.0f B/s, out %.0f B/s%n",
                    churn,
                    seconds,
                    (after.get("calls") - before.get("calls")) / (double) seconds,
                    (after.get("usec") - before.get("usec")) / (double) seconds,
                    (after.get("in") - before.get("in")) / (double) seconds,
                    (after.get("out") - before.get("out")) / (double) seconds);
            System.out.println("count frames told (a, b): " + a.metrics().countsTold() + ", "
                    + b.metrics().countsTold() + "; exchanges: " + a.metrics().countExchanges() + ", "
                    + b.metrics().countExchanges());
            for (FakeConnection c : all) c.close(1000, "done");
            for (FakeConnection c : churned) c.close(1000, "done");
            a.close();
            b.close();
        }
        System.exit(0);
    }

    private static RealtimeCore instance(RedisServer redis, String id) {
        RealtimeConfig config = RealtimeConfig.from(new Settings(Map.of(
                "REDIS_URL",
                redis.url(),
                "TALLY_INSTANCE_ID",
                id,
                "TALLY_MAX_CONNECTIONS_PER_ADDRESS",
                "1000000",
                "TALLY_MAX_CONNECTIONS",
                "1000000")::get));
        RealtimeCore core = RealtimeCore.create(config, io.tally.Brokers.create(config));
        core.rooms(room -> true);
        core.countViewers(room -> true);
        return core;
    }

    private static FakeConnection viewer(RealtimeCore core) {
        FakeConnection c = new FakeConnection(false, 1_000);
        ConnectionHandler.Inbound in = core.open(c);
        c.attach(in);
        in.onStart();
        in.onFrame("{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-load\"}");
        return c;
    }

    private static void awaitAll(List<FakeConnection> all, long n, long millis) throws InterruptedException {
        String want = "\"n\":" + n + "}";
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            boolean ok = true;
            for (FakeConnection c : all) {
                List<String> raw = c.deliveredRaw();
                String last = null;
                for (int i = raw.size() - 1; i >= 0; i--) {
                    if (raw.get(i).startsWith("{\"type\":\"count\"")) {
                        last = raw.get(i);
                        break;
                    }
                }
                if (last == null || !last.endsWith(want)) {
                    ok = false;
                    break;
                }
            }
            if (ok) return;
            if (System.nanoTime() > deadline) throw new IllegalStateException("not every viewer shows " + n);
            Thread.sleep(5);
        }
    }

    private static Map<String, Long> stats(RedisServer redis) {
        String cmd = redis.command("INFO", "commandstats");
        String st = redis.command("INFO", "stats");
        long calls = 0, usec = 0;
        Matcher m =
                Pattern.compile("cmdstat_eval(sha)?:calls=(\\d+),usec=(\\d+)").matcher(cmd);
        while (m.find()) {
            calls += Long.parseLong(m.group(2));
            usec += Long.parseLong(m.group(3));
        }
        return Map.of(
                "calls",
                calls,
                "usec",
                usec,
                "in",
                number(st, "total_net_input_bytes"),
                "out",
                number(st, "total_net_output_bytes"));
    }

    private static long number(String info, String name) {
        Matcher m = Pattern.compile(name + ":(\\d+)").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
