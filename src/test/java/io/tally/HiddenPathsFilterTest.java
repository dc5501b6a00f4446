package io.tally;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HiddenPathsFilterTest {
    @Test
    void anySegmentStartingWithADotIsHidden() {
        assertTrue(HiddenPathsFilter.hidden("/.ebextensions/01-load-balancer.config"));
        assertTrue(HiddenPathsFilter.hidden("/.platform/hooks/predeploy/10-tomcat-nofile.sh"));
        assertTrue(HiddenPathsFilter.hidden("/.platform"));
        assertTrue(HiddenPathsFilter.hidden("/css/.DS_Store"));
        assertTrue(HiddenPathsFilter.hidden(".git/config"));
    }

    @Test
    void theAppsPathsAreNot() {
        assertFalse(HiddenPathsFilter.hidden("/"));
        assertFalse(HiddenPathsFilter.hidden("/js/tally.js"));
        assertFalse(HiddenPathsFilter.hidden("/api/games/final.2026/events"));
        assertFalse(HiddenPathsFilter.hidden(""));
    }
}
