package dev.mpdiag.checks;

/** Turns a measured value and its warn/fail limits into a verdict and a 0-100 score (100 at the fail limit). */
final class Grade {
    private Grade() {
    }

    static Verdict of(double value, double warn, double fail) {
        if (value >= fail) {
            return Verdict.FAIL;
        }
        return value >= warn ? Verdict.WARN : Verdict.OK;
    }

    static double score(double value, double fail) {
        return fail <= 0 || Double.isNaN(value) ? 0 : Stats.clampScore(value / fail * 100);
    }
}
