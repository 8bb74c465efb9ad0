package dev.mpdiag.server.query;

import dev.mpdiag.server.ApiException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Parses a time parameter: epoch milliseconds, ISO-8601 ({@code 2026-11-27T17:00:00Z}, with an offset, or
 * without one meaning UTC), {@code now}, or relative to now ({@code -5m}, {@code -30s}, {@code -2h}, {@code -1d}).
 */
public final class TimeParam {
    private TimeParam() {
    }

    /** The time in epoch milliseconds, or dflt when the value is absent. */
    public static long parse(String name, String value, long dflt, long nowMillis) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        String v = value.trim();
        if (v.equals("now")) {
            return nowMillis;
        }
        if (v.matches("\\d{1,15}")) {
            return Long.parseLong(v);
        }
        if (v.matches("-\\d{1,9}(ms|s|m|h|d)")) {
            return nowMillis - durationMillis(v.substring(1));
        }
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException e) {
            // not an instant with Z; try the other ISO forms below
        }
        try {
            return OffsetDateTime.parse(v).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            // no offset either
        }
        try {
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("bad parameter " + name, "'" + abbreviate(v)
                    + "' is not a time: use epoch milliseconds, ISO-8601 (2026-11-27T17:00:00Z), now, or -5m");
        }
    }

    static long durationMillis(String v) {
        int unitAt = v.length() - (v.endsWith("ms") ? 2 : 1);
        long n = Long.parseLong(v.substring(0, unitAt));
        return switch (v.substring(unitAt)) {
            case "ms" -> n;
            case "s" -> n * 1000L;
            case "m" -> n * 60_000L;
            case "h" -> n * 3_600_000L;
            default -> n * 86_400_000L;
        };
    }

    /** Keeps an echoed bad value short, so an error message never repeats a huge parameter back. */
    public static String abbreviate(String v) {
        return v.length() > 60 ? v.substring(0, 60) + "..." : v;
    }
}
