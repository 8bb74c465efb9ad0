package dev.mpdiag.checks;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The diagnosis matrix with short phases: the real sample service (2 workers with mpagent, fresh per scenario)
 * streaming to a real collector, healthy and with each planted fault under a fixed offered load (300 requests/s per
 * worker, an open loop). Every fault must be flagged
 * (warn or above) by its check with evidence naming the right thing, and the healthy run must raise nothing.
 * bench/diagnose-matrix.sh runs the same with long phases and prints the numbers.
 */
class DiagnoseMatrixIT {
    /** Load per scenario: the leak checks need 15 s past a warm-up of at least 10 s. */
    static final int LOAD_SECONDS = 35;
    static final int RATE_PER_WORKER = 300;

    @Test
    void everyPlantedFaultIsFlaggedByItsCheckWithTheRightEvidenceAndHealthyIsClean() throws Exception {
        // A fixed offered rate the slowest machine can hold, so every machine sees the same load;
        // bench/diagnose-matrix.sh runs saturation and the starved variant too.
        DiagnoseMatrix.Settings s = DiagnoseMatrix.parse(new String[] {"--seconds", Integer.toString(LOAD_SECONDS),
                "--rate", Integer.toString(RATE_PER_WORKER),
                // A fault's scenario ends once flagged with the right evidence: CI runs this twice and its time is
                // bounded; the healthy run, the one that proves no false alarm, always runs its full length.
                "--until-flagged", "true",
                "--out", Path.of("target", "it-diagnose-matrix").toAbsolutePath().toString()});
        MatrixReport report = DiagnoseMatrix.run(s, System.out);
        report.print(System.out);
        String text = report.text();
        assertEquals(MatrixScenario.standard().size(), report.outcomes().size());
        List<Executable> checks = new ArrayList<>();
        for (MatrixOutcome o : report.outcomes()) {
            String name = o.scenario.name();
            checks.add(() -> assertNull(o.error, name + " did not run:\n" + text));
            checks.add(() -> assertTrue(o.polls > 0, name + ": no poll answered\n" + text));
            if (o.scenario.fault() == null) {
                checks.add(() -> assertEquals(Map.of(), o.unexpected(), "healthy run raised checks:\n" + text));
            } else {
                checks.add(() -> assertTrue(o.detected(), name + ": " + o.scenario.expectedCheck() + " never warned, highest "
                        + o.highest.get(o.scenario.expectedCheck()) + "\n" + text));
                checks.add(() -> assertEquals(List.of(), o.evidenceProblems(), name + ": wrong evidence\n" + text));
            }
        }
        assertAll(checks);
    }
}
