package dev.mpdiag.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.engine.FrameKind;
import dev.mpdiag.engine.LockStats;
import dev.mpdiag.engine.Series;
import dev.mpdiag.engine.Summary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The judgement rules the matrix calibrated, on summaries built through the engine's API: what each check must
 * not mistake for a fault (one long pause, a step when load arrives, class-loading waits) next to the fault.
 */
class CheckRulesTest {
    static final long T0 = 1_795_800_000_000L;
    static final int SECONDS = 120;

    static Summary summary() {
        Summary s = new Summary();
        s.coverTime(T0 * 1_000_000, (T0 + SECONDS * 1000L) * 1_000_000);
        return s;
    }

    static ProcessData process(Summary s) {
        return new ProcessData("svc/host/1/1", Map.of("index", "0"), s, T0, T0 + SECONDS * 1000L);
    }

    static CheckResult run(Check c, Summary s) {
        return c.evaluate(List.of(process(s)), Limits.defaults());
    }

    @Test
    void oneLongPauseIsNotGcPressureSteadyPausesAre() {
        Summary once = summary();
        Series p = once.series("gc.pause", "ns/s", Series.Kind.SUM);
        once.gc.add("SerialOld", 2_400_000_000L, 2_400_000_000L);
        p.add(T0 + 40_000, 2.4e9);
        assertEquals(Verdict.OK, run(new GcPressureCheck(), once).verdict(), "2.4 s once is 3% of 96 s, and 0% in one half");

        Summary steady = summary();
        Series q = steady.series("gc.pause", "ns/s", Series.Kind.SUM);
        for (int sec = 0; sec < SECONDS; sec++) {
            steady.gc.add("DefNew", 100_000_000L, 100_000_000L);
            q.add(T0 + sec * 1000L, 1e8);
        }
        CheckResult r = run(new GcPressureCheck(), steady);
        assertEquals(Verdict.WARN, r.verdict(), r.summary());
        assertEquals(0.1, (double) r.evidence().get("pauseShare"), 0.01);
    }

    @Test
    void threadsThatStepUpWhenLoadArrivesAreNotAPileUpThreadsThatKeepComingAre() {
        Summary step = summary();
        Series t = step.series("threads.active", "threads", Series.Kind.GAUGE);
        for (int sec = 0; sec < SECONDS; sec++) {
            t.add(T0 + sec * 1000L, sec < 40 ? 20 : 60);
        }
        assertEquals(Verdict.OK, run(new ThreadPileUpCheck(), step).verdict());

        Summary leak = summary();
        Series l = leak.series("threads.active", "threads", Series.Kind.GAUGE);
        for (int sec = 0; sec < SECONDS; sec++) {
            l.add(T0 + sec * 1000L, 20 + sec);
        }
        CheckResult r = run(new ThreadPileUpCheck(), leak);
        assertEquals(Verdict.FAIL, r.verdict(), r.summary());
        assertEquals(60.0, (double) r.evidence().get("threadsPerMinute"), 1e-6);
    }

    @Test
    void aShortJvmIsJudgedOnWhatItHoldsThoughItsClimbIsNot() {
        // 20 s: too little time past warm-up to judge a climb, but 570 threads that never went away are direct evidence.
        Summary s = new Summary();
        s.coverTime(T0 * 1_000_000, (T0 + 20_000) * 1_000_000);
        Series t = s.series("threads.active", "threads", Series.Kind.GAUGE);
        for (int sec = 0; sec < 20; sec++) {
            t.add(T0 + sec * 1000L, 20 + 30 * sec);
        }
        ProcessData young = new ProcessData("svc/host/1/1", Map.of(), s, T0, T0 + 20_000);
        CheckResult r = new ThreadPileUpCheck().evaluate(List.of(young), Limits.defaults());
        assertEquals(Verdict.WARN, r.verdict(), r.summary());
        assertEquals("not-applicable", r.evidence().get("climbVerdict"), r.summary());
        assertEquals("warn", r.evidence().get("heldVerdict"), r.summary());

        // The same JVM holding 150 more threads than at its start: a pool's worth, not a pile-up.
        Summary pool = new Summary();
        pool.coverTime(T0 * 1_000_000, (T0 + 20_000) * 1_000_000);
        Series q = pool.series("threads.active", "threads", Series.Kind.GAUGE);
        for (int sec = 0; sec < 20; sec++) {
            q.add(T0 + sec * 1000L, sec < 5 ? 20 : 170);
        }
        ProcessData filled = new ProcessData("svc/host/1/1", Map.of(), pool, T0, T0 + 20_000);
        assertEquals(Verdict.OK, new ThreadPileUpCheck().evaluate(List.of(filled), Limits.defaults()).verdict());
    }

    @Test
    void aLeakThatFilledBeforeTheRollingWindowIsJudgedAgainstTheProcesssFirstData() {
        // The window (the last 2 minutes) sees 1,020 threads, flat; the process's first minute saw 20.
        Summary window = summary();
        Series t = window.series("threads.active", "threads", Series.Kind.GAUGE);
        for (int sec = 0; sec < SECONDS; sec++) {
            t.add(T0 + sec * 1000L, 1020);
        }
        Summary early = new Summary();
        Series e = early.series("threads.active", "threads", Series.Kind.GAUGE);
        for (int sec = 0; sec < 60; sec++) {
            e.add(T0 - 3_600_000L + sec * 1000L, 20 + sec);
        }
        ProcessData alone = new ProcessData("svc/host/1/1", Map.of(), window, T0, T0 + SECONDS * 1000L);
        assertEquals(Verdict.OK, new ThreadPileUpCheck().evaluate(List.of(alone), Limits.defaults()).verdict(),
                "flat inside the window");
        ProcessData withEarly = new ProcessData("svc/host/1/1", Map.of(), window, T0, T0 + SECONDS * 1000L, early);
        CheckResult r = new ThreadPileUpCheck().evaluate(List.of(withEarly), Limits.defaults());
        assertEquals(Verdict.FAIL, r.verdict(), r.summary());
        assertEquals("grew-and-held", r.evidence().get("shape"), r.summary());
        assertTrue(r.summary().contains("+1,000 since the process's first data"), r.summary());
    }

    @Test
    void waitingForClassLoadingIsNotALockHotspotWaitingForALockIs() {
        Summary s = summary();
        s.countEvents("jdk.JavaMonitorEnter", 1);
        int app = s.frames.intern("com.acme.Handler.handle", 12, FrameKind.JIT);
        int load = s.frames.intern("java.lang.ClassLoader.loadClass", 525, FrameKind.JIT);
        int init = s.stacks.intern(new int[] {app});
        int loading = s.stacks.intern(new int[] {load, app});
        s.lock(LockStats.Kind.MONITOR, "int[]").add(init, 200_000_000_000L, 40, 3_000_000_000L);
        s.lock(LockStats.Kind.MONITOR, "java.lang.Object").add(loading, 100_000_000_000L, 40, 1_000_000_000L);
        s.lock(LockStats.Kind.PARK, "java.util.concurrent.Semaphore$NonfairSync").add(init, 500_000_000_000L, 900, 1_000_000_000L);
        CheckResult r = run(new LockHotspotCheck(), s);
        assertEquals(Verdict.OK, r.verdict(), r.summary());
        assertEquals(2.5, (double) r.evidence().get("classLoadingBlockedThreads"), 1e-9);

        s.lock(LockStats.Kind.MONITOR, "com.acme.Ledger").add(init, 180_000_000_000L, 5000, 90_000_000L);
        r = run(new LockHotspotCheck(), s);
        assertEquals(Verdict.FAIL, r.verdict(), r.summary());
        assertEquals("com.acme.Ledger", r.evidence().get("monitorClass"));
        assertEquals(1.5, (double) r.evidence().get("blockedThreads"), 1e-9);
        assertEquals("com.acme.Handler.handle:12", r.evidence().get("site"));
    }

    @Test
    void aProfileGapMustBeMoreThanSamplingNoise() {
        assertTrue(ImbalanceCheck.significant(0.65, 53, 0.0, 237), "65% against 0% on 53 samples is a gap");
        assertTrue(!ImbalanceCheck.significant(0.40, 40, 0.20, 40), "40% against 20% on 40 samples each can be noise");
        assertTrue(ImbalanceCheck.significant(0.40, 2000, 0.20, 2000), "but not on 2,000 samples each");
    }

    @Test
    void profileGapsLeaveTheJdkOut() {
        assertEquals(true, ImbalanceCheck.isJdk("sun.security.provider.DigestBase.implCompressMultiBlock"));
        assertEquals(true, ImbalanceCheck.isJdk("java.util.HashMap.getNode"));
        assertEquals(false, ImbalanceCheck.isJdk("com.acme.Orders.price"));
        assertEquals(false, ImbalanceCheck.isJdk("javalin.Thing.run"), "a prefix, not a substring");
    }

    @Test
    void aDescriptorLeakNamesThePathPatternThatGrowsNotTheSteadyOnes() {
        Summary s = summary();
        Series total = s.series("proc.fdTotal", "fds", Series.Kind.GAUGE);
        Series files = s.series("proc.fdFile", "fds", Series.Kind.GAUGE);
        Series leaking = s.series(Summary.FD_PATH_SERIES + "/tmp/spool-#/chunk-#.part", "fds", Series.Kind.GAUGE);
        Series jars = s.series(Summary.FD_PATH_SERIES + "/srv/lib/core-#.#.jar", "fds", Series.Kind.GAUGE);
        for (int sec = 0; sec < SECONDS; sec++) {
            total.add(T0 + sec * 1000L, 100 + 2 * sec);
            files.add(T0 + sec * 1000L, 60 + 2 * sec);
            if (sec % 5 == 0) {
                leaking.add(T0 + sec * 1000L, 2 * sec);
                jars.add(T0 + sec * 1000L, 40);
            }
        }
        CheckResult r = run(new FdLeakCheck(), s);
        assertEquals(Verdict.FAIL, r.verdict(), r.summary());
        assertEquals("file", r.evidence().get("growingKind"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> paths = (List<Map<String, Object>>) r.evidence().get("growingPaths");
        assertEquals(1, paths.size(), paths.toString());
        assertEquals("/tmp/spool-#/chunk-#.part", paths.get(0).get("pattern"));
        assertEquals(230.0, (double) paths.get(0).get("growth"), 1e-9);
        assertTrue(r.summary().contains("/tmp/spool-#/chunk-#.part"), r.summary());

        // A pattern first seen late was not among the 5 biggest early on (mpagent sends only those): it grew from ~0.
        Summary early = summary();
        Series few = early.series(Summary.FD_PATH_SERIES + "/tmp/spool-#/chunk-#.part", "fds", Series.Kind.GAUGE);
        few.add(T0 + 90_000, 100);
        few.add(T0 + 95_000, 160);
        few.add(T0 + 100_000, 220);
        List<Map<String, Object>> named = FdLeakCheck.growingPaths(process(early), T0);
        assertEquals(1, named.size(), named.toString());
        assertEquals(220.0, (double) named.get(0).get("growth"), 1e-9);
    }
}
