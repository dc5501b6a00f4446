package io.tally.e2e.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tally.e2e.pages.ConsolePage;
import io.tally.e2e.pages.GamePage;
import io.tally.standin.StandInOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenario b of issue 6: nginx strips {@code Upgrade}/{@code Connection} (a misconfigured proxy),
 * stickiness as our .ebextensions set it. The WebSocket upgrade fails; both viewers fall back to
 * long-polling, say so, and every score from the console still arrives.
 */
class BrokenProxyIT extends StandInScenario {
    @Override
    StandInOptions options() {
        return StandInOptions.defaults().instances(2).sticky(true).brokenProxy(true);
    }

    @Test
    void viewersFallBackToLongPollingSayItAndGetEveryScore() {
        String id = api.createGame("Proxy Home", "Proxy Away");
        GamePage chromium = viewOn(viewer("chromium"), standIn.url(), id, -1, "polling");
        GamePage webkit = viewOn(viewer("webkit"), standIn.url(), id, -1, "polling");
        for (GamePage p : List.of(chromium, webkit)) {
            assertEquals("Live · long-polling", p.connection().label());
            assertEquals("polling", p.connection().transport());
        }

        ConsolePage console = ConsolePage.open(scorer().driver(), standIn.url(), id);
        assertEquals("ok", console.useToken(standIn.adminToken()));
        int[] points = {1, 2, 3, -1, 2, 1, 3, 2};
        int home = 0, away = 0;
        for (int k = 0; k < points.length; k++) {
            String team = k % 2 == 0 ? "home" : "away";
            if (points[k] < 0 && (team.equals("home") ? home : away) == 0) continue;
            console.score(team, points[k]);
            if (team.equals("home")) home += points[k];
            else away += points[k];
        }
        Map<String, Object> game = api.game(id);
        assertEquals(home, TallyApi.homeScore(game));
        assertEquals(away, TallyApi.awayScore(game));
        assertEquals(1 + points.length, TallyApi.version(game), "every click saved once");
        for (GamePage p : List.of(chromium, webkit)) {
            p.awaitVersion(TallyApi.version(game), EVENTUALLY);
            assertEquals("polling", p.connection().transport(), "still long-polling (the probes fail)");
        }
        assertMatchesServer("chromium", chromium, game);
        assertMatchesServer("webkit", webkit, game);
    }
}
