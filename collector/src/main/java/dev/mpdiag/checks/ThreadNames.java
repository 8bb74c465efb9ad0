package dev.mpdiag.checks;

import dev.mpdiag.engine.Summary;
import dev.mpdiag.engine.ThreadStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Thread name patterns that started more threads than ended, with the site that started them. */
final class ThreadNames {
    private ThreadNames() {
    }

    /** Threads started and not ended in the summarized time, over all patterns. */
    static long neverEnded(Summary s) {
        long n = 0;
        for (ThreadStats t : s.threads().values()) {
            n += Math.max(0, t.growth());
        }
        return n;
    }

    static List<Map<String, Object>> growing(Summary s, int limit) {
        List<ThreadStats> rows = new ArrayList<>();
        for (ThreadStats t : s.threads().values()) {
            if (t.growth() > 0) {
                rows.add(t);
            }
        }
        rows.sort((a, b) -> Long.compare(b.growth(), a.growth()));
        List<Map<String, Object>> out = new ArrayList<>();
        for (ThreadStats t : rows.subList(0, Math.min(limit, rows.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pattern", t.pattern);
            m.put("started", t.started());
            m.put("ended", t.ended());
            int stack = t.topStartStack();
            m.put("startSite", stack == ThreadStats.NO_STACK ? null : Sites.firstOutside(s, stack, "java.lang.Thread."));
            m.put("startStack", stack == ThreadStats.NO_STACK ? List.of() : Sites.frames(s, stack, 8));
            out.add(m);
        }
        return out;
    }
}
