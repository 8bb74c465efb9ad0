package dev.mpdiag.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts open file descriptors by path pattern: the target path with every run of digits replaced by '#', so
 * {@code /tmp/upload-17/part-3.dat} and {@code /tmp/upload-18/part-4.dat} are one pattern. A leak of files
 * opened under generated names shows up as one pattern that keeps growing.
 *
 * <p>One instance serves one sampling thread. The number of distinct patterns per sample is bounded: once
 * {@link #MAX_DISTINCT} are known, further new ones are counted together under {@link #OVERFLOW}.
 */
final class FdPathPatterns {
    static final int MAX_DISTINCT = 256;
    static final String OVERFLOW = "(other paths)";
    // Paths longer than this are cut: the pattern is for people to read, and bounds the work per descriptor.
    static final int MAX_LENGTH = 160;

    private final Map<String, long[]> counts = new HashMap<>();
    private final StringBuilder pattern = new StringBuilder(MAX_LENGTH + 2);

    void clear() {
        counts.clear();
    }

    void add(String path) {
        pattern.setLength(0);
        boolean inDigits = false;
        int n = Math.min(path.length(), MAX_LENGTH);
        for (int i = 0; i < n; i++) {
            char c = path.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            if (!digit) {
                pattern.append(c);
            } else if (!inDigits) {
                pattern.append('#');
            }
            inDigits = digit;
        }
        if (path.length() > MAX_LENGTH) {
            pattern.append('…');
        }
        String key = pattern.toString();
        long[] c = counts.get(key);
        if (c == null) {
            if (counts.size() >= MAX_DISTINCT) {
                key = OVERFLOW;
                c = counts.get(key);
            }
            if (c == null) {
                c = new long[1];
                counts.put(key, c);
            }
        }
        c[0]++;
    }

    /** The {@code top} patterns with most descriptors, most first. */
    List<Map.Entry<String, Long>> top(int top) {
        List<Map.Entry<String, Long>> all = new ArrayList<>(counts.size());
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            all.add(Map.entry(e.getKey(), e.getValue()[0]));
        }
        all.sort((a, b) -> {
            int byCount = Long.compare(b.getValue(), a.getValue());
            return byCount != 0 ? byCount : a.getKey().compareTo(b.getKey());
        });
        return all.subList(0, Math.min(top, all.size()));
    }
}
