package io.tally.chaos;

import io.tally.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * A scorer's program: posts score events through the REST API with an Idempotency-Key and no
 * If-Match (as docs/API.md allows), to whichever instance its RNG picks, and retries the same key
 * until the answer is final: 2xx (applied, acknowledged) or a stored 4xx (not applied; a new key is
 * then a new write). Every attempt and every answer is logged for the {@link Checker}.
 */
final class Writer {
    /** A write the server acknowledged: the version it produced and its message's position. */
    record Ack(
            String game,
            String key,
            String team,
            int points,
            long version,
            Pos position,
            boolean replayed,
            long sentAt,
            long ackedAt,
            int attempts,
            String instance,
            String answers) {}

    /** A write given up on without a final answer (its effect is unknown). */
    record Unknown(String game, String key, String team, int points, String lastAnswer) {}

    private final int id;
    private final Random rng;
    private final IntFunction<String> instanceUrl;
    private final int instances;
    private final long t0;
    final List<Ack> acks = new ArrayList<>();
    final List<Unknown> unknown = new ArrayList<>();
    int refused;
    int retries;
    int inProgressAnswers;
    private int seq;

    Writer(int id, long seed, IntFunction<String> instanceUrl, int instances, long t0) {
        this.id = id;
        this.rng = new Random(seed);
        this.instanceUrl = instanceUrl;
        this.instances = instances;
        this.t0 = t0;
    }

    /** Posts one score to {@code game}; returns when it has a final answer or {@code deadline} (epoch ms) passes. */
    void score(String game, long deadline) {
        String team = rng.nextBoolean() ? "home" : "away";
        int points = 1 + rng.nextInt(3);
        String key = "chaos-w" + id + "-" + (++seq) + "-" + Long.toHexString(rng.nextLong());
        String body = "{\"type\":\"score\",\"team\":\"" + team + "\",\"points\":" + points + "}";
        long sentAt = System.currentTimeMillis() - t0;
        String last = "none";
        StringBuilder answers = new StringBuilder();
        for (int attempt = 1; ; attempt++) {
            int instance = rng.nextInt(instances);
            String url = instanceUrl.apply(instance) + "/api/games/" + game + "/events";
            long pause = 200 + rng.nextInt(300);
            try {
                Http.Response r = Http.post(
                        url, body, 4_000, "Authorization", "Bearer " + Deployment.TOKEN, "Idempotency-Key", key);
                last = "HTTP " + r.status();
                if (r.status() == 200) {
                    Map<?, ?> m = (Map<?, ?>) Json.parse(r.body());
                    // A write found already applied is answered with the game as it is now and the version it produced.
                    long version = m.containsKey("appliedVersion")
                            ? Viewer.num(m.get("appliedVersion"), -1)
                            : Viewer.num(((Map<?, ?>) m.get("game")).get("version"), -1);
                    synchronized (this) {
                        acks.add(new Ack(
                                game,
                                key,
                                team,
                                points,
                                version,
                                Pos.of(m.get("position")),
                                "true".equals(r.header("Idempotent-Replayed")),
                                sentAt,
                                System.currentTimeMillis() - t0,
                                attempt,
                                Deployment.instanceId(instance),
                                answers.append("200@")
                                        .append(Deployment.instanceId(instance))
                                        .toString()));
                    }
                    return;
                }
                String code = codeOf(r.body());
                last += " " + code;
                if (r.status() == 409 && "idempotency-in-progress".equals(code)) {
                    inProgressAnswers++;
                    pause = 1_000;
                } else if (r.status() >= 400 && r.status() < 500 && r.status() != 429) {
                    synchronized (this) {
                        refused++;
                    }
                    return; // a final refusal (stored for this key): the event was not applied
                }
            } catch (IOException e) {
                last = Viewer.rootMessage(e);
            }
            answers.append(last)
                    .append('@')
                    .append(Deployment.instanceId(instance))
                    .append('+')
                    .append(System.currentTimeMillis() - t0)
                    .append("ms; ");
            synchronized (this) {
                retries++;
            }
            if (System.currentTimeMillis() + pause > deadline) {
                synchronized (this) {
                    unknown.add(new Unknown(game, key, team, points, last));
                }
                return;
            }
            sleep(pause);
        }
    }

    private static String codeOf(String body) {
        try {
            Object code = ((Map<?, ?>) Json.parse(body)).get("code");
            return code == null ? "" : code.toString();
        } catch (RuntimeException e) {
            return "";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
