package io.tally.scoreboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class IfMatchTest {
    @Test
    void theVersionIsReadFromQuotedUnquotedAndWeakTags() {
        assertEquals(OptionalLong.of(7), ApiServlet.ifMatch("\"7\""));
        assertEquals(OptionalLong.of(7), ApiServlet.ifMatch("7"));
        assertEquals(OptionalLong.of(7), ApiServlet.ifMatch("W/\"7\""));
        assertEquals(OptionalLong.empty(), ApiServlet.ifMatch(null));
        assertEquals(
                400, assertThrows(Problem.class, () -> ApiServlet.ifMatch("*")).status());
        assertEquals(
                400,
                assertThrows(Problem.class, () -> ApiServlet.ifMatch("\"0\"")).status());
    }
}
