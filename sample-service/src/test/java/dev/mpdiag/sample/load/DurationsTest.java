package dev.mpdiag.sample.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesUnits() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("10"));
        assertEquals(Duration.ofMinutes(1), Durations.parse("1m"));
        assertEquals(Duration.ofHours(2), Durations.parse("2h"));
        assertEquals(Duration.ofSeconds(30), Durations.parse(" 30S "));
        assertEquals(Duration.ZERO, Durations.parse("0s"));
    }

    @Test
    void rejectsBadText() {
        for (String bad : new String[] {"", " ", "s", "10x", "-1s", "1.5s", "10 s", "ms10", "1d"}) {
            assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
        }
    }

    @Test
    void formatsShortestExactForm() {
        assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertEquals("20s", Durations.format(Duration.ofSeconds(20)));
        assertEquals("1m", Durations.format(Duration.ofSeconds(60)));
        assertEquals("0s", Durations.format(Duration.ZERO));
    }
}
