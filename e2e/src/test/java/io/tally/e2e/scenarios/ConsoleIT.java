package io.tally.e2e.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.e2e.pages.ConsolePage;
import io.tally.standin.StandInOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scorer console as a courtside scorer uses it, in Chromium and WebKitGTK through the stand-in
 * (one instance behind HAProxy and nginx, Redis): buttons from the sport's preset, refused where the
 * rules refuse, answers next to the button pressed, desktop shortcuts, the game clock, set sports,
 * and per-game scorer links that stop working when revoked.
 */
class ConsoleIT extends StandInScenario {
    @Override
    StandInOptions options() {
        return StandInOptions.defaults().instances(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chromium", "webkit"})
    void aSoccerGameOffersItsOwnButtonsRefusesScoresBeforeKickOffAndAnswersNextToTheButton(String engine) {
        String id = api.createGame("soccer", "Rovers " + engine, "United " + engine, "scheduled");
        ConsolePage console = ConsolePage.open(viewer(engine).driver(), standIn.url(), id);
        assertEquals("ok", console.useToken(standIn.adminToken()));
        assertEquals(List.of("home-plus-1", "home-minus-1"), console.scoreButtons("home"), "soccer scores 1 at a time");
        assertFalse(console.isEnabled("home-plus-1"), "no scoring while scheduled");
        assertTrue(console.hint().contains("not started"), console.hint());
        assertTrue(console.optionText(id).contains("#" + id), "games are told apart by id: " + console.optionText(id));
        assertTrue(console.optionText(id).contains("Football (soccer)"), console.optionText(id));

        assertEquals("ok", console.press("status-live", "status"));
        console.waitFor("buttons enabled", load(), d -> console.isEnabled("home-plus-1") ? true : null);
        assertNull(console.hint());
        assertEquals("ok", console.press("home-plus-1", "home"));
        assertTrue(console.feedbackText("home").contains("saved"), console.feedbackText("home"));
        double gap = console.feedbackDistance("home");
        assertTrue(gap >= 0 && gap < 100, "the answer sits right under the buttons (" + gap + " px)");
        assertEquals(1, console.homeScore());

        assertEquals("ok", console.pressKey("u", "away"), "U is the away team's first button");
        assertEquals(1, console.awayScore());

        // The clock counts up for soccer, from the server's state.
        assertTrue(console.clockShown());
        assertEquals("0:00", console.clockText());
        assertEquals("ok", console.press("clock-toggle", "clock"));
        assertTrue(console.clockRunning());
        console.waitFor("the clock counting up", load(), d -> !"0:00".equals(console.clockText()) ? true : null);
        assertEquals("ok", console.press("clock-toggle", "clock"));
        assertFalse(console.clockRunning());
        String stopped = console.clockText();
        console.waitFor(
                "a stopped clock standing still", load(), d -> stopped.equals(console.clockText()) ? true : null);
        console.byTestIdPublic("clock-input").sendKeys("45:00");
        assertEquals("ok", console.press("clock-set", "clock"));
        assertEquals("45:00", console.clockText());

        assertEquals("ok", console.press("status-final", "status"));
        console.waitFor("buttons disabled when final", load(), d -> !console.isEnabled("home-plus-1") ? true : null);
        assertFalse(console.isEnabled("clock-toggle"), "a stopped clock cannot start in a final game");
        Map<String, Object> game = api.game(id);
        assertEquals(1, TallyApi.homeScore(game));
        assertEquals(1, TallyApi.awayScore(game));
    }

    @Test
    void volleyballIsScoredPointByPointWithTheSetsShown() {
        String id = api.createGame("volleyball", "Spikers", "Blockers", "live");
        ConsolePage console = ConsolePage.open(viewer("webkit").driver(), standIn.url(), id);
        assertEquals("ok", console.useToken(standIn.adminToken()));
        assertEquals(List.of("home-point"), console.scoreButtons("home"));
        assertFalse(console.clockShown(), "volleyball has no clock");
        for (int i = 0; i < 3; i++) assertEquals("ok", console.press("home-point", "home"));
        assertEquals(3, console.homeScore(), "the set in play");
        assertTrue(console.setsText("home").startsWith("Sets won 0"), console.setsText("home"));
    }

    @Test
    void aScorerLinkScoresItsGameOnlyAndAfterRevocationTheConsoleSaysTheTokenIsNoLongerAccepted() {
        String id = api.createGame("basketball", "Link Home", "Link Away", "live");
        ConsolePage admin = ConsolePage.open(scorer().driver(), standIn.url(), id);
        assertEquals("ok", admin.useToken(standIn.adminToken()));
        String link = admin.createScorerLink("Court 2");
        assertTrue(link.contains("/console.html?id=" + id + "#token=tsc_"), link);

        ConsolePage volunteer = ConsolePage.openLink(viewer("webkit").driver(), link);
        volunteer.waitFor("the scorer token accepted", load(), d -> "ok".equals(volunteer.tokenState()) ? true : null);
        assertTrue(volunteer.tokenStatusText().contains("game " + id + " only"), volunteer.tokenStatusText());
        assertFalse(volunteer.createPanelShown(), "a scorer cannot create games");
        assertFalse(volunteer.driver().getCurrentUrl().contains("token="), "the token leaves the address bar");
        assertEquals("ok", volunteer.press("home-plus-3", "home"));
        assertEquals(3, TallyApi.homeScore(api.game(id)));

        admin.revokeAll();
        assertEquals("error", volunteer.press("home-plus-2", "home"));
        assertEquals("token-invalid", volunteer.errorCode());
        assertTrue(volunteer.feedbackText("home").contains("no longer accepts"), volunteer.feedbackText("home"));
        assertEquals("rejected", volunteer.tokenState());
        assertTrue(volunteer.tokenStatusText().contains("Enter the token again"), volunteer.tokenStatusText());
        assertNotEquals(5, TallyApi.homeScore(api.game(id)));
    }
}
