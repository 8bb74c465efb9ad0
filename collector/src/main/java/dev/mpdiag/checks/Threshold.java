package dev.mpdiag.checks;

/** One tunable limit of a check: its key (check-local), default, unit, and what it bounds. */
public record Threshold(String key, double defaultValue, String unit, String meaning) {
}
