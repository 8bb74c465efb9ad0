package dev.mpdiag.checks;

import static dev.mpdiag.checks.TrendTest.series;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The shape of a gauge when no climb could be judged: a heap with four old cycles in a short run, a JVM that
 * lived 20 s. The later half says whether it still climbs; the level against the baseline says what is held.
 */
class BuildupTest {
    private static final double MIN_RISE = 5;

    @Test
    void aGaugeStillRisingAtItsEndClimbs() {
        // The idle fresh-clone heap: 8 -> 174 MB over four old cycles, each above the one before.
        Buildup b = Buildup.of(series(8, 60, 120, 174), 2, MIN_RISE);
        assertEquals(Buildup.Shape.CLIMBING, b.shape());
        assertEquals(166, b.growth(), 1e-9);
    }

    @Test
    void aStepThenAClimbClimbs() {
        // The second idle fresh-clone heap: 100 MB kept at once, then 2 MB a second; live sets of five old cycles.
        // The later half rose by 31 MB, under a quarter of the whole 166 MB rise, yet it is still climbing.
        assertEquals(Buildup.Shape.CLIMBING, Buildup.of(series(8, 116, 130, 143, 160, 174), 2, MIN_RISE).shape());
    }

    @Test
    void aGaugeThatGrewEarlyAndHeldIsHeld() {
        assertEquals(Buildup.Shape.GREW_AND_HELD, Buildup.of(series(8, 140, 141, 139, 140, 142, 140), 2, MIN_RISE).shape());
    }

    @Test
    void aSmallLateWobbleOnAHeldLevelIsNoClimb() {
        // Its last point is the peak, but the later half rose by 4, under the noise (MIN_RISE).
        assertEquals(Buildup.Shape.GREW_AND_HELD, Buildup.of(series(8, 136, 137, 136, 138, 139, 140), 2, MIN_RISE).shape());
    }

    @Test
    void aGaugeThatRoseLateButFellBackFromItsPeakIsHeld() {
        assertEquals(Buildup.Shape.GREW_AND_HELD, Buildup.of(series(8, 20, 30, 150, 120), 2, MIN_RISE).shape());
    }

    @Test
    void cameBackAndFlatKeepTheirShapes() {
        assertEquals(Buildup.Shape.GREW_AND_CAME_BACK, Buildup.of(series(8, 140, 140, 20, 10), 2, MIN_RISE).shape());
        assertEquals(Buildup.Shape.FLAT, Buildup.of(series(8, 9, 8, 10, 9), 2, MIN_RISE).shape());
    }

    @Test
    void aJudgedClimbIsNotSecondGuessed() {
        // With a climb judged and found below warn, the shape is the level's, whatever the later half does.
        assertEquals(Buildup.Shape.GREW_AND_HELD, Buildup.of(series(8, 60, 120, 174), 2, false, MIN_RISE).shape());
        assertEquals(Buildup.Shape.CLIMBING, Buildup.of(series(8, 140, 140, 140), 2, true, MIN_RISE).shape());
    }
}
