package dev.p2p.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesUnitsAndCompounds() {
        assertEquals(250, Durations.parseMillis("250ms"));
        assertEquals(90_000, Durations.parseMillis("90s"));
        assertEquals(5_400_000, Durations.parseMillis("90m"));
        assertEquals(7_200_000, Durations.parseMillis("2h"));
        assertEquals(5_400_000, Durations.parseMillis("1h30m"));
        assertEquals(1_500, Durations.parseMillis("1.5s"));
        assertEquals(86_400_000, Durations.parseMillis("1d"));
    }

    @Test
    void rejectsWhatIsNotADuration() {
        for (String bad : new String[] {"", "30", "m", "30 m", "30x", "-5m", "1h 30m", "30m!"}) {
            assertThrows(IllegalArgumentException.class, () -> Durations.parseMillis(bad), bad);
        }
    }

    @Test
    void formatsShortestExactForm() {
        assertEquals("1h30m", Durations.format(5_400_000));
        assertEquals("2h", Durations.format(7_200_000));
        assertEquals("45s", Durations.format(45_000));
        assertEquals("1500ms", Durations.format(1_500));
        assertEquals("0s", Durations.format(0));
    }
}
