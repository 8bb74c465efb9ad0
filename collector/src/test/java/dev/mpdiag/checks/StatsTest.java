package dev.mpdiag.checks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The windows, coefficient of variation and spreads the rate checks grade. */
class StatsTest {
    static final long T0 = 1_795_800_000_000L;

    @Test
    void coefficientOfVariationUsesTheSampleStandardDeviation() {
        assertEquals(0.0, Stats.cv(new double[] {5, 5, 5}), 1e-12);
        // mean 3, sample sd sqrt(((2-3)² + (4-3)²) / 1) = sqrt(2)
        assertEquals(Math.sqrt(2) / 3, Stats.cv(new double[] {2, 4}), 1e-12);
        assertTrue(Double.isNaN(Stats.cv(new double[] {4})), "one window has no variation to speak of");
        assertTrue(Double.isNaN(Stats.cv(new double[] {0, 0})), "no mean, no ratio");
    }

    @Test
    void successiveDifferencesSeeBurstsMoreThanADrift() {
        // 100, 200, 100, 200: every step is 100, sqrt(3 * 100² / (2 * 3)) = 70.7 over a mean of 150
        assertEquals(Math.sqrt(5000) / 150, Stats.successiveCv(new double[] {100, 200, 100, 200}), 1e-12);
        double[] ramp = {10, 20, 30, 40, 50};
        assertEquals(Math.sqrt(50) / 30, Stats.successiveCv(ramp), 1e-12);
        assertTrue(Stats.successiveCv(ramp) < Stats.cv(ramp) / 2, "a steady climb is not a burst");
        assertTrue(Double.isNaN(Stats.successiveCv(new double[] {3})));
    }

    @Test
    void perSecondSumsFallIntoWholeWindowsEmptySecondsCountingZero() {
        TreeMap<Long, Double> perSecond = new TreeMap<>();
        for (int s = 0; s < 25; s++) {
            if (s != 3) {
                perSecond.put(T0 + s * 1000L, 1.0);
            }
        }
        // 25 s make two whole 10 s windows; the last 5 s are left out.
        assertArrayEquals(new double[] {9, 10}, Stats.windows(perSecond, T0, T0 + 25_000, 10_000), 1e-12);
    }

    @Test
    void idleWindowsAreLeftOutBusyOnesKeptInOrder() {
        assertArrayEquals(new double[] {100, 90, 110}, Stats.busy(new double[] {0.5, 100, 90, 3, 110}, 0.1), 1e-12);
        assertArrayEquals(new double[0], Stats.busy(new double[0], 0.1), 1e-12);
    }

    @Test
    void spreadIsRangeOverMean() {
        assertEquals(1.0, ImbalanceCheck.spread(new double[] {1, 3}), 1e-12);
        assertEquals(0.0, ImbalanceCheck.spread(new double[] {2, 2, Double.NaN}), 1e-12);
        assertTrue(Double.isNaN(ImbalanceCheck.spread(new double[] {2, Double.NaN})), "one number is no spread");
    }

    @Test
    void gradeAndScore() {
        assertEquals(Verdict.OK, Grade.of(0.49, 0.5, 1.0));
        assertEquals(Verdict.WARN, Grade.of(0.5, 0.5, 1.0));
        assertEquals(Verdict.FAIL, Grade.of(1.0, 0.5, 1.0));
        assertEquals(50.0, Grade.score(0.5, 1.0), 1e-12);
        assertEquals(100.0, Grade.score(7, 1.0), 1e-12);
    }
}
