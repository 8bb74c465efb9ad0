package dev.mpdiag.report;

import dev.mpdiag.checks.CheckResult;
import dev.mpdiag.checks.Verdict;
import java.io.PrintStream;
import java.util.List;

/** The checks section of the text report: what was flagged first, then what passed or could not be judged. */
public final class CheckReport {
    private CheckReport() {
    }

    public static void print(PrintStream out, List<CheckResult> results) {
        if (results.isEmpty()) {
            return;
        }
        out.println();
        out.println("== Checks ==");
        int flagged = 0;
        for (Verdict v : new Verdict[] {Verdict.FAIL, Verdict.WARN}) {
            for (CheckResult r : results) {
                if (r.verdict() == v) {
                    out.printf("  %-4s  %-16s %s%n        %s%n", v.id().toUpperCase(), r.check(), r.subject(), r.summary());
                    flagged++;
                }
            }
        }
        int ok = 0;
        int na = 0;
        for (CheckResult r : results) {
            ok += r.verdict() == Verdict.OK ? 1 : 0;
            na += r.verdict() == Verdict.NOT_APPLICABLE ? 1 : 0;
        }
        out.printf("  %d flagged, %d ok, %d not applicable%n", flagged, ok, na);
        for (CheckResult r : results) {
            if (r.verdict() == Verdict.NOT_APPLICABLE) {
                out.printf("  n/a   %-16s %s: %s%n", r.check(), r.subject(), r.summary());
            }
        }
    }
}
