package dev.mpdiag.agent;

import java.util.Locale;

/** Parses and prints the byte sizes ("16m") and durations ("5s") that agent options are written in. */
final class Units {

    private static final long KIB = 1024;

    private Units() {
    }

    /**
     * Bytes from "123", "512k", "16m" or "1g" (binary units, case-insensitive, an optional trailing "b");
     * -1 when the text is not a size or overflows.
     */
    static long parseBytes(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("b") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1); // "16mb" reads as "16m"
        }
        long unit = 1;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'k' -> unit = KIB;
                case 'm' -> unit = KIB * KIB;
                case 'g' -> unit = KIB * KIB * KIB;
                default -> unit = 1;
            }
        }
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        long n = parseDigits(digits);
        if (n < 0 || n > Long.MAX_VALUE / unit) {
            return -1;
        }
        return n * unit;
    }

    /** Milliseconds from "250ms", "5s", "2m" or a bare number of seconds; -1 when the text is not a duration. */
    static long parseMillis(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        long unit;
        String digits;
        if (s.endsWith("ms")) {
            unit = 1;
            digits = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            unit = 1000;
            digits = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            unit = 60_000;
            digits = s.substring(0, s.length() - 1);
        } else {
            unit = 1000;
            digits = s;
        }
        long n = parseDigits(digits.trim());
        if (n < 0 || n > Long.MAX_VALUE / unit) {
            return -1;
        }
        return n * unit;
    }

    /** "16m", "512k", "1g" or a byte count: the largest unit that divides the value. */
    static String formatBytes(long bytes) {
        String[] suffix = {"g", "m", "k"};
        long[] unit = {KIB * KIB * KIB, KIB * KIB, KIB};
        for (int i = 0; i < unit.length; i++) {
            if (bytes >= unit[i] && bytes % unit[i] == 0) {
                return bytes / unit[i] + suffix[i];
            }
        }
        return Long.toString(bytes);
    }

    /** "5s", "2m", "250ms": the largest unit that divides the value. */
    static String formatMillis(long millis) {
        if (millis >= 60_000 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis >= 1000 && millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    /** A non-negative decimal integer of at most 18 digits, else -1 (so no overflow check is needed). */
    private static long parseDigits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
