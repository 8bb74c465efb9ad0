package dev.mpdiag.sample.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PairedRatioTest {

    @Test
    void medianOfPairsNotRatioOfMedians() {
        // Each round's machine state scales both sides of its pair alike; the pairs' ratios are all 1.02.
        double[] base = {100, 200, 50, 400, 120, 90, 300, 80, 150, 60};
        double[] cand = new double[base.length];
        for (int i = 0; i < base.length; i++) {
            cand[i] = base[i] * 1.02;
        }
        PairedRatio r = PairedRatio.of(cand, base);
        assertEquals(10, r.pairs());
        assertEquals(1.02, r.median(), 1e-9);
        assertEquals(1.02, r.low(), 1e-9);
        assertEquals(1.02, r.high(), 1e-9);
        assertTrue(r.within(1.021));
        assertFalse(r.within(1.019));
    }

    @Test
    void intervalWidensWithNoiseAndHoldsTheMedian() {
        double[] base = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        double[] cand = {0.95, 1.10, 1.00, 1.04, 0.98, 1.07, 1.01, 0.97, 1.03, 1.06, 0.99};
        PairedRatio r = PairedRatio.of(cand, base);
        assertEquals(1.01, r.median(), 1e-9);
        assertTrue(r.low() < r.median() && r.median() < r.high(), r.toString());
        assertTrue(r.low() >= 0.95 && r.high() <= 1.10, r.toString());
        // A target inside the interval is not shown beyond noise, even though the median is under it.
        assertFalse(r.within(1.02));
        assertEquals(r.high(), PairedRatio.of(cand, base).high(), "seeded: a rerun prints the same interval");
    }

    @Test
    void roundsWithoutABaselineOrAFigureAreLeftOut() {
        PairedRatio r = PairedRatio.of(new double[] {2, Double.NaN, 3}, new double[] {1, 1, 0});
        assertEquals(1, r.pairs());
        assertEquals(2, r.median(), 1e-9);
        assertEquals(0, PairedRatio.of(new double[0], new double[0]).pairs());
        assertFalse(PairedRatio.of(new double[0], new double[0]).within(10));
        assertThrows(IllegalArgumentException.class, () -> PairedRatio.of(new double[1], new double[2]));
    }
}
