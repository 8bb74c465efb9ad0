package dev.mpdiag.checks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of checks, and running them over processes grouped by service. */
public final class Checks {
    public static final List<Check> ALL = List.of(
            new HeapTrendCheck(),
            new ThreadPileUpCheck(),
            new FdLeakCheck(),
            new ClassGrowthCheck(),
            new LockHotspotCheck(),
            new AllocStabilityCheck(),
            new CtxStormCheck(),
            new ImbalanceCheck(),
            new GcPressureCheck());

    private Checks() {
    }

    public static Check byId(String id) {
        for (Check c : ALL) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        return null;
    }

    /** The threshold named "check.key", or null. */
    public static Threshold threshold(String qualified) {
        int dot = qualified.indexOf('.');
        Check c = dot < 0 ? null : byId(qualified.substring(0, dot));
        if (c == null) {
            return null;
        }
        for (Threshold t : c.thresholds()) {
            if (t.key().equals(qualified.substring(dot + 1))) {
                return t;
            }
        }
        return null;
    }

    /**
     * Runs every check: per-process checks on each process, per-service checks on each service's processes
     * (services keyed by the caller, e.g. the id's service part). A check that throws is reported as
     * not-applicable with the error, so one broken check never hides the others.
     */
    public static List<CheckResult> run(Map<String, List<ProcessData>> byService, Limits limits) {
        List<CheckResult> out = new ArrayList<>();
        for (Check c : ALL) {
            for (Map.Entry<String, List<ProcessData>> service : byService.entrySet()) {
                List<ProcessData> processes = service.getValue();
                if (c.perService()) {
                    out.add(safely(c, processes, limits, service.getKey()));
                } else {
                    for (ProcessData p : processes) {
                        out.add(safely(c, List.of(p), limits, p.id()));
                    }
                }
            }
        }
        return out;
    }

    private static CheckResult safely(Check c, List<ProcessData> subject, Limits limits, String name) {
        try {
            CheckResult r = c.evaluate(subject, limits);
            return c.perService() ? new CheckResult(r.check(), r.title(), name, r.verdict(), r.score(), r.summary(),
                    r.evidence()) : r;
        } catch (RuntimeException e) {
            return CheckResult.notApplicable(c, name, "check failed: " + e);
        }
    }

    /** Groups processes by service, keeping order. */
    public static Map<String, List<ProcessData>> byService(List<ProcessData> processes) {
        Map<String, List<ProcessData>> m = new LinkedHashMap<>();
        for (ProcessData p : processes) {
            m.computeIfAbsent(ImbalanceCheck.serviceOf(p.id()), k -> new ArrayList<>()).add(p);
        }
        return m;
    }
}
