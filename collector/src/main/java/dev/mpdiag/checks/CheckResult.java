package dev.mpdiag.checks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One check's verdict on one subject (a process, or a service for checks across processes): a score
 * (0 fine to 100 worst), a one-line summary, and evidence: the numbers, the series to chart, and the stacks,
 * classes, names or paths to look at.
 */
public record CheckResult(String check, String title, String subject, Verdict verdict, double score, String summary,
        Map<String, Object> evidence) {

    public static CheckResult notApplicable(Check c, String subject, String reason) {
        return new CheckResult(c.id(), c.title(), subject, Verdict.NOT_APPLICABLE, 0, reason, new LinkedHashMap<>());
    }
}
