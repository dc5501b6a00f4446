package io.tally.scoreboard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Link previews: the teams and score in words, and nothing a scorer types becomes markup. */
class LinkPreviewTest {
    private static Map<String, Object> game(String home, String away, String status) {
        return Map.of(
                "id",
                "g1",
                "sport",
                "american-football",
                "status",
                status,
                "period",
                "Q2",
                "home",
                Map.of("name", home, "score", 54),
                "away",
                Map.of("name", away, "score", 50));
    }

    @Test
    void titleAndDescriptionSayTheScore() {
        String tags = LinkPreview.of(game("Lakers", "Celtics", "live"), false);
        assertTrue(tags.contains("<title>Lakers 54–50 Celtics · Tally</title>"), tags);
        assertTrue(tags.contains("<meta property=\"og:title\" content=\"Lakers 54–50 Celtics · Tally\">"), tags);
        assertTrue(
                tags.contains(
                        "<meta name=\"twitter:description\" content=\"American football · Live · Q2 · live score on Tally\">"),
                tags);
        assertFalse(tags.contains("robots"), tags);
        assertTrue(LinkPreview.of(game("A", "B", "live"), true).contains("<meta name=\"robots\" content=\"noindex\">"));
    }

    @Test
    void aScheduledGameNamesItsStartInsteadOfAScore() {
        Map<String, Object> g = new java.util.HashMap<>(game("A", "B", "scheduled"));
        g.put("startsAt", "2026-12-02T19:00:00Z");
        assertEquals("A v B", LinkPreview.title(g));
        assertEquals(
                "American football · Starts Wed 2 Dec, 19:00 UTC · live score on Tally", LinkPreview.description(g));
        g.put("startsAt", "not a date");
        assertEquals("American football · Scheduled · live score on Tally", LinkPreview.description(g));
    }

    @Test
    void markupInNamesIsEscapedInTextAndAttributes() {
        String hostile = "\"><script>alert(1)</script><meta x='";
        String tags = LinkPreview.of(game(hostile, "O'Brien & Sons\u0007", "final"), false);
        assertFalse(tags.contains("<script"), tags);
        assertFalse(tags.contains("\"><"), tags);
        assertTrue(tags.contains("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;meta x=&#39;"), tags);
        assertTrue(tags.contains("54–50 O&#39;Brien &amp; Sons · Tally"), tags);
        assertFalse(tags.contains("\u0007"), tags);
        // Every attribute value is closed by the quote that opened it: count them per line.
        for (String line : tags.split("\n"))
            assertEquals(0, line.chars().filter(c -> c == '"').count() % 2, line);
    }

    @Test
    void gameIdsFromLinksAreForgivingButNeverLetASlashThrough() {
        assertEquals("k7m2qz9pxa", GamePageServlet.normalise("k7m2qz9pxa/"));
        assertEquals("k7m2qz9pxa", GamePageServlet.normalise(" K7M2QZ9PXA "));
        assertEquals(null, GamePageServlet.normalise("a/b"));
        assertEquals(null, GamePageServlet.normalise(""));
        assertEquals(null, GamePageServlet.normalise("../x"));
        assertEquals(null, GamePageServlet.normalise("<x>"));
    }

    @Test
    void embedOriginsAreOriginsOrAnyOrNone() {
        assertEquals("*", EmbedAncestors.parse(null).sources());
        assertEquals("'none'", EmbedAncestors.parse("none").sources());
        assertFalse(EmbedAncestors.parse("none").allowed());
        assertEquals(
                "https://club.example https://*.league.example:8443",
                EmbedAncestors.parse("https://club.example/, https://*.league.example:8443")
                        .sources());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> EmbedAncestors.parse("https://club.example; script-src *"));
        assertTrue(e.getMessage().contains("TALLY_EMBED_ORIGINS"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EmbedAncestors.parse("'unsafe-inline'"));
    }
}
