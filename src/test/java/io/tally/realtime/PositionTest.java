package io.tally.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PositionTest {

    @Test
    void offsetsCompareNumericallyMajorThenMinor() {
        assertTrue(Position.compareOffsets("10", "9") > 0);
        assertTrue(Position.compareOffsets("1732540000000-1", "1732540000000-0") > 0);
        assertTrue(Position.compareOffsets("1732540000001-0", "1732540000000-99") > 0);
        assertEquals(0, Position.compareOffsets("5", "5-0"));
        assertEquals(0, Position.compareOffsets("007", "7"));
        assertTrue(Position.compareOffsets("0", "1") < 0);
        assertTrue(Position.compareOffsets("18446744073709551615-0", "9223372036854775807-0") > 0);
    }

    @Test
    void onlyDecimalOffsetsAreValid() {
        for (String ok : new String[] {"0", "17", "1732540000000-0", "1-2"}) assertTrue(Position.isValidOffset(ok), ok);
        for (String bad : new String[] {"", "-", "1-", "-1", "a", "1-2-3", "1.5", " 1", "1".repeat(21), null}) {
            assertFalse(Position.isValidOffset(bad), String.valueOf(bad));
        }
    }

    @Test
    void readsFromJsonAndRejectsMalformedPositions() {
        assertEquals(new Position("e1", "5"), Position.fromJson(Map.of("epoch", "e1", "offset", "5")));
        assertThrows(IllegalArgumentException.class, () -> Position.fromJson(Map.of("epoch", "e1", "offset", 5L)));
        assertThrows(IllegalArgumentException.class, () -> Position.fromJson(Map.of("epoch", "", "offset", "5")));
        assertThrows(IllegalArgumentException.class, () -> Position.fromJson("e1:5"));
    }

    @Test
    void readsTheMajorPartOfCountersAndStreamIds() {
        assertEquals(42, Position.majorOf("42", -1));
        assertEquals(1_764_630_000_000L, Position.majorOf("1764630000000-3", -1));
        assertEquals(-1, Position.majorOf("x-3", -1));
        assertEquals(-1, Position.majorOf("99999999999999999999-0", -1), "too large for a long");
    }
}
