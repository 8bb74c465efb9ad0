package dev.mpdiag.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.engine.Summary;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The least-squares fit, its later half, the floor and the warm-up the leak checks are built on. */
class TrendTest {
    static final long T0 = 1_795_800_000_000L;

    /** Points at T0 + i seconds with the given values. */
    static NavigableMap<Long, Double> series(double... values) {
        TreeMap<Long, Double> m = new TreeMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(T0 + i * 1000L, values[i]);
        }
        return m;
    }

    @Test
    void straightLineIsFittedExactly() {
        Trend t = Trend.of(series(3, 5, 7, 9, 11, 13, 15, 17, 19, 21), T0, 3);
        assertNotNull(t);
        assertEquals(10, t.points());
        assertEquals(2.0, t.slopePerSecond(), 1e-9);
        assertEquals(1.0, t.r2(), 1e-9);
        assertEquals(18.0, t.rise(), 1e-9);
        assertEquals(9.0, t.seconds(), 1e-9);
        assertEquals(3.0, t.first());
        assertEquals(21.0, t.last());
    }

    @Test
    void knownNoisyFit() {
        // x = 0..4, y = 1, 3, 2, 5, 4: slope 0.8, r² = 0.64 (by hand: sxy 8, sxx 10, syy 10).
        Trend t = Trend.of(series(1, 3, 2, 5, 4), T0, 3);
        assertEquals(0.8, t.slopePerSecond(), 1e-9);
        assertEquals(0.64, t.r2(), 1e-9);
    }

    @Test
    void pointsBeforeWarmUpAndNaNsAreLeftOut() {
        NavigableMap<Long, Double> s = series(100, 100, 0, 1, Double.NaN, 3, 4);
        Trend t = Trend.of(s, T0 + 2000, 3);
        assertEquals(4, t.points());
        assertEquals(1.0, t.slopePerSecond(), 1e-9);
        assertNull(Trend.of(s, T0 + 5000, 3), "two points after warm-up are fewer than three");
    }

    @Test
    void flatSeriesHasNoSlopeAndNoFit() {
        Trend t = Trend.of(series(7, 7, 7, 7), T0, 3);
        assertEquals(0.0, t.slopePerSecond(), 1e-12);
        assertEquals(0.0, t.r2(), 1e-12);
    }

    @Test
    void aStepEarlyOnClimbsInTheWholeWindowButNotInItsLaterHalf() {
        NavigableMap<Long, Double> step = series(10, 10, 50, 50, 50, 50, 50, 50, 50, 50, 50);
        Trend whole = Trend.of(step, T0, 3);
        Trend later = Trend.laterHalf(step, T0, 2);
        assertTrue(whole.slopePerSecond() > 2, "a line through a step climbs: " + whole);
        assertEquals(0.0, later.slopePerSecond(), 1e-12);
        assertEquals(0.0, whole.sustainedSlope(later), 1e-12);

        NavigableMap<Long, Double> leak = series(0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50);
        Trend l = Trend.of(leak, T0, 3);
        assertEquals(5.0, l.sustainedSlope(Trend.laterHalf(leak, T0, 2)), 1e-9);
        assertEquals(5.0, l.sustainedSlope(null), 1e-9, "no later half: the whole fit stands");
    }

    @Test
    void floorIsTheLeastValueAtOrAfterEachPoint() {
        NavigableMap<Long, Double> f = Trend.floor(series(10, 50, 12, 60, Double.NaN, 11, 30));
        assertEquals(List.of(10.0, 11.0, 11.0, 11.0, 11.0, 30.0), List.copyOf(f.values()));
    }

    @Test
    void warmUpIsAFifthOfTheWindowAtLeastTenSecondsAtMostHalf() {
        assertEquals(T0 + 20_000, Trend.warmUpEnd(window(100)));
        assertEquals(T0 + 10_000, Trend.warmUpEnd(window(30)));
        assertEquals(T0 + 5_000, Trend.warmUpEnd(window(10)));
    }

    @Test
    void climbGradesTheSustainedSlopeAndGatesOnFitAndRise() {
        NavigableMap<Long, Double> leak = series(0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50);
        Climb c = Climb.of(leak, T0, 3);
        assertEquals(Verdict.FAIL, c.verdict(60, 10, 100, 0.6, 20), "300/min");
        assertEquals(Verdict.WARN, c.verdict(60, 10, 1000, 0.6, 20));
        assertEquals(Verdict.OK, c.verdict(60, 10, 100, 0.6, 60), "rise 50 is under 60");
        Climb step = Climb.of(series(10, 10, 50, 50, 50, 50, 50, 50, 50, 50, 50), T0, 3);
        assertEquals(Verdict.OK, step.verdict(60, 10, 100, 0.0, 0), "a step is not a leak");
    }

    static ProcessData window(int seconds) {
        return new ProcessData("svc/host/1/1", Map.of(), new Summary(), T0, T0 + seconds * 1000L);
    }
}
