package dev.mpdiag.report;

import java.util.Locale;

/** Human formatting of the engine's units (bytes, nanoseconds, samples, shares). */
public final class Units {
    private Units() {
    }

    public static String bytes(double b) {
        if (Double.isNaN(b)) {
            return "-";
        }
        String[] u = {"B", "KB", "MB", "GB", "TB"};
        int i = 0;
        while (Math.abs(b) >= 1024 && i < u.length - 1) {
            b /= 1024;
            i++;
        }
        return i == 0 ? String.format(Locale.ROOT, "%.0f %s", b, u[i]) : String.format(Locale.ROOT, "%.1f %s", b, u[i]);
    }

    public static String nanos(double ns) {
        if (Double.isNaN(ns)) {
            return "-";
        }
        if (ns >= 1e9) {
            return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
        }
        if (ns >= 1e6) {
            return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.0f us", ns / 1e3);
    }

    public static String percent(double share) {
        return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    /** A weight in a profile's unit. */
    public static String weight(long w, String unit) {
        return switch (unit) {
            case "bytes" -> bytes(w);
            case "ns" -> nanos(w);
            default -> w + " samples";
        };
    }

    public static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? "-" : String.format(Locale.ROOT, "%.0f/s", perSecond);
    }
}
