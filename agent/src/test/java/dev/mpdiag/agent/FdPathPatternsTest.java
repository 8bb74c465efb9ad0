package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FdPathPatternsTest {

    @Test
    void digitRunsBecomeOneHashAndTheBiggestPatternsComeFirst() {
        FdPathPatterns p = new FdPathPatterns();
        for (int i = 0; i < 12; i++) {
            p.add("/tmp/upload-" + (1000 + i) + "-77/part-" + i + ".dat");
        }
        p.add("/srv/app/lib/jackson-core-2.17.1.jar");
        p.add("/srv/app/lib/jackson-databind-2.17.1.jar");
        p.add("/var/log/app.log");
        List<Map.Entry<String, Long>> top = p.top(3);
        assertEquals(Map.entry("/tmp/upload-#-#/part-#.dat", 12L), top.get(0));
        // ties by name, so the order is the same on every sample
        assertEquals(Map.entry("/srv/app/lib/jackson-core-#.#.#.jar", 1L), top.get(1));
        assertEquals(Map.entry("/srv/app/lib/jackson-databind-#.#.#.jar", 1L), top.get(2));
        assertEquals(4, p.top(10).size());
        p.clear();
        assertEquals(List.of(), p.top(5));
    }

    @Test
    void distinctPatternsAreBoundedAndTheRestCountedTogether() {
        FdPathPatterns p = new FdPathPatterns();
        for (int i = 0; i < FdPathPatterns.MAX_DISTINCT + 40; i++) {
            p.add("/data/" + letters(i) + "/file"); // no digits: every path its own pattern
        }
        List<Map.Entry<String, Long>> all = p.top(Integer.MAX_VALUE);
        assertEquals(FdPathPatterns.MAX_DISTINCT + 1, all.size(), "the bound plus one bucket for the rest");
        assertEquals(Map.entry(FdPathPatterns.OVERFLOW, 40L), all.get(0));
    }

    @Test
    void longPathsAreCut() {
        FdPathPatterns p = new FdPathPatterns();
        p.add("/" + "a".repeat(500));
        String pattern = p.top(1).get(0).getKey();
        assertEquals(FdPathPatterns.MAX_LENGTH + 1, pattern.length());
        assertEquals('…', pattern.charAt(pattern.length() - 1));
    }

    /** i written with the letters a-z as digits. */
    static String letters(int i) {
        StringBuilder b = new StringBuilder();
        do {
            b.append((char) ('a' + i % 26));
            i /= 26;
        } while (i > 0);
        return b.toString();
    }
}
