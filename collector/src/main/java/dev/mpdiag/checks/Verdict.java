package dev.mpdiag.checks;

/** A check's answer, worst last so verdicts compare by ordinal. */
public enum Verdict {
    NOT_APPLICABLE, OK, WARN, FAIL;

    public String id() {
        return name().toLowerCase().replace('_', '-');
    }
}
