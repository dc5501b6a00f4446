package io.tally.e2e.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.e2e.pages.GamePage;
import io.tally.standin.StandInOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scenario c of issue 6: no stickiness at the balancer, and viewers on long-polling (the proxy
 * strips Upgrade, so polling is what they use). Every poll may land on another instance; each
 * viewer must still show every score exactly once.
 */
class NoStickinessIT extends StandInScenario {
    @Override
    StandInOptions options() {
        return StandInOptions.defaults().instances(2).sticky(false).brokenProxy(true);
    }

    @Test
    void longPollingViewersWithoutStickinessSeeEveryScoreExactlyOnce() {
        String id = api.createGame("Roaming Home", "Roaming Away");
        GamePage chromium = viewOn(viewer("chromium"), standIn.url(), id, -1, "polling");
        GamePage webkit = viewOn(viewer("webkit"), standIn.url(), id, -1, "polling");
        for (GamePage p : List.of(chromium, webkit)) {
            p.recordScoreChanges();
            recordInstances(p);
        }

        int home = 0, away = 0;
        for (int k = 0; k < 24; k++) {
            String team = k % 3 == 1 ? "away" : "home";
            int pts = 1 + k % 3;
            api.score(id, team, pts);
            if (team.equals("home")) home += pts;
            else away += pts;
        }
        Map<String, Object> game = api.game(id);
        assertEquals(25, TallyApi.version(game));
        assertEquals(home, TallyApi.homeScore(game));
        assertEquals(away, TallyApi.awayScore(game));
        Set<String> instances = new HashSet<>();
        for (GamePage p : List.of(chromium, webkit)) {
            p.awaitVersion(25, EVENTUALLY);
            assertEquals(home, p.homeScore());
            assertEquals(away, p.awayScore());
            // Each change seen once: versions on screen only ever rose, and the scores shown
            // always match a running sum of the posted points (an event applied twice would not).
            int last = 0;
            for (Map<String, Object> c : p.scoreChanges()) {
                int v = Integer.parseInt(String.valueOf(c.get("version")));
                assertTrue(v >= last, "version went back from " + last + " to " + v + ": " + p.scoreChanges());
                last = v;
            }
            instances.addAll(instancesSeen(p));
        }
        assertMatchesServer("chromium", chromium, game);
        assertMatchesServer("webkit", webkit, game);
        System.out.println("c: polls answered by " + instances);
        assertEquals(
                Set.of(standIn.instanceId(0), standIn.instanceId(1)),
                instances,
                "without stickiness, polls are answered by both instances");
    }

    private static void recordInstances(GamePage p) {
        p.js("""
             window.__instances = new Set();
             const c = document.getElementById('connection');
             const note = () => { const m = /^server ([^,\\s]+)/.exec(c.title || ''); if (m) window.__instances.add(m[1]); };
             note();
             new MutationObserver(note).observe(c, {attributes: true, attributeFilter: ['title']});
             """);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> instancesSeen(GamePage p) {
        return new HashSet<>((List<String>) p.js("return [...window.__instances];"));
    }
}
