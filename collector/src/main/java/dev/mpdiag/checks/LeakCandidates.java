package dev.mpdiag.checks;

import dev.mpdiag.engine.OldObjectSample;
import dev.mpdiag.engine.Summary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Old-object samples grouped by class and allocation site: the objects that stay alive, most sampled first,
 * each with the reference chain that holds one of them (a chain through a static field preferred).
 */
final class LeakCandidates {
    private LeakCandidates() {
    }

    static List<Map<String, Object>> of(Summary s, int limit) {
        Map<String, List<OldObjectSample>> groups = new LinkedHashMap<>();
        for (OldObjectSample o : s.oldObjects()) {
            String site = o.allocationStack() < 0 ? null : Sites.firstOutside(s, o.allocationStack(), "java.", "jdk.", "sun.");
            groups.computeIfAbsent(o.className() + "|" + site, k -> new ArrayList<>()).add(o);
        }
        List<List<OldObjectSample>> sorted = new ArrayList<>(groups.values());
        sorted.sort((a, b) -> Integer.compare(b.size(), a.size()));
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<OldObjectSample> g : sorted.subList(0, Math.min(limit, sorted.size()))) {
            OldObjectSample best = g.get(0);
            for (OldObjectSample o : g) {
                if (o.heldByStatic() && !best.heldByStatic() || o.chain().size() > best.chain().size() && !best.heldByStatic()) {
                    best = o;
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("className", best.className());
            m.put("samples", g.size());
            m.put("allocationSite", best.allocationStack() < 0 ? null
                    : Sites.firstOutside(s, best.allocationStack(), "java.", "jdk.", "sun."));
            m.put("allocationStack", best.allocationStack() < 0 ? List.of() : Sites.frames(s, best.allocationStack(), 8));
            m.put("heldByStatic", best.heldByStatic());
            m.put("chain", best.chain());
            m.put("rootKind", best.rootKind());
            out.add(m);
        }
        return out;
    }
}
