package io.tally.doctor.cli;

import java.net.CookieManager;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code instances} check: which instances answered, and whether the balancer pinned us to one. */
final class InstancesCheck {
    private InstancesCheck() {}

    static Result run(DoctorHttp web, CookieManager cookies, Evidence seen) {
        Set<String> all = seen.instancesSeen();
        Map<String, Object> who = web.getJson("doctor/api/whoami").body();
        // The server sees the cookie if the balancer passes it on; our cookie store sees it when it was set.
        boolean cookie = who != null && Boolean.TRUE.equals(who.get("awsalbCookie"))
                || cookies.getCookieStore().getCookies().stream()
                        .anyMatch(c -> c.getName().equals("AWSALB"));
        List<String> polls = seen.pollInstances;
        List<String> details = new ArrayList<>();
        details.add("WebSocket: " + (seen.wsInstance == null ? "(no WebSocket)" : seen.wsInstance));
        details.add("polls: " + (polls.isEmpty() ? "(none answered)" : String.join(", ", polls)));
        details.add("stickiness cookie sent back: AWSALB " + (cookie ? "yes" : "no"));
        List<String> known = seen.instancesSeenByBroker();
        if (!known.isEmpty()) details.add("instances the broker saw recently: " + String.join(", ", known));
        if (all.isEmpty()) {
            return Result.of(
                    "instances",
                    "needs.transports",
                    "No request told which instance served it (both transports failed).",
                    details);
        }
        int distinct = new LinkedHashSet<>(polls).size();
        String how = distinct > 1
                ? "Requests were spread over " + distinct + " instances"
                        + (cookie ? " despite the stickiness cookie" : "")
                : "All polls reached " + polls.stream().findFirst().orElse(seen.wsInstance)
                        + (cookie ? ", pinned by the AWSALB stickiness cookie" : "");
        return Result.pass(
                "instances", how + ". Either way is fine for Tally: any instance can answer any poll.", details);
    }
}
