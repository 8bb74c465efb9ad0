package dev.mpdiag.sample.load;

import java.time.Duration;
import java.util.Locale;

/** Parses and prints the durations the bench command line takes: {@code 500ms}, {@code 10s}, {@code 1m}, {@code 1h}. */
public final class Durations {
    private Durations() {
    }

    /**
     * Parses a whole number followed by a unit (ms, s, m, h); a bare number means seconds.
     *
     * @throws IllegalArgumentException naming the bad text
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        int digits = 0;
        while (digits < t.length() && Character.isDigit(t.charAt(digits))) {
            digits++;
        }
        if (digits == 0 || digits > 12) {
            throw new IllegalArgumentException("bad duration '" + text + "': expected e.g. 500ms, 10s, 1m");
        }
        long n = Long.parseLong(t.substring(0, digits));
        String unit = t.substring(digits);
        switch (unit) {
            case "ms":
                return Duration.ofMillis(n);
            case "":
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            default:
                throw new IllegalArgumentException("bad duration unit in '" + text + "': use ms, s, m or h");
        }
    }

    /** Shortest exact form: 1m, 90s, 500ms. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
