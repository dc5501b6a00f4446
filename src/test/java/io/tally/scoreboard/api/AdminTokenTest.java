package io.tally.scoreboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdminTokenTest {
    @Test
    void onlyTheExactTokenMatches() {
        AdminToken t = new AdminToken("correct-horse-battery");
        assertTrue(t.matches("correct-horse-battery"));
        assertFalse(t.matches("correct-horse-batter"));
        assertFalse(t.matches("correct-horse-battery "));
        assertFalse(t.matches(""));
        assertFalse(t.matches(null));
    }

    @Test
    void shortTokensAreRefusedAtStartUp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AdminToken("secret"));
        assertTrue(e.getMessage().contains("TALLY_ADMIN_TOKEN"));
    }

    @Test
    void generatedTokensAreLongAndDifferentAndTheTokenIsNeverPrinted() {
        String a = AdminToken.generate();
        assertTrue(a.length() >= 40);
        assertNotEquals(a, AdminToken.generate());
        assertEquals("AdminToken[hidden]", new AdminToken(a).toString());
    }
}
