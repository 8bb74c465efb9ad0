package dev.mpdiag.checks;

import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.Series;
import dev.mpdiag.engine.TopFrames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Process imbalance across the processes of one service: the spread of CPU and allocation rate, and how far
 * one process's CPU profile departs from its peers' (a worker doing extra work shows a method the others
 * spend much less in). The kernel's SO_REUSEPORT hashing can be uneven, and a pinned or slow worker shows here.
 */
public final class ImbalanceCheck implements Check {
    @Override
    public String id() {
        return "imbalance";
    }

    @Override
    public String title() {
        return "Process imbalance";
    }

    @Override
    public boolean perService() {
        return true;
    }

    @Override
    public List<String> events() {
        return List.of("jdk.CPULoad", "jdk.ExecutionSample", "jdk.ObjectAllocationSample");
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("warnSpread", 1.0, "(max-min)/mean", "spread of CPU or allocation rate that warns"),
                new Threshold("failSpread", 1.5, "(max-min)/mean", "spread that fails"),
                new Threshold("warnProfileGap", 0.2, "share", "gap in one method's share of CPU between processes that warns"),
                new Threshold("failProfileGap", 0.35, "share", "gap that fails"),
                new Threshold("minSamples", 10, "samples", "CPU samples per process needed to compare profiles (a gap must also pass a z test)"),
                new Threshold("minGapRatio", 4.0, "x", "how many times its peers' share the outlier's share must be to count as a gap"));
    }

    @Override
    public CheckResult evaluate(List<ProcessData> subject, Limits limits) {
        String service = subject.isEmpty() ? "?" : serviceOf(subject.get(0).id());
        if (subject.size() < 2) {
            return CheckResult.notApplicable(this, service, "one process: imbalance compares the processes of a service");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        double[] cpu = new double[subject.size()];
        double[] alloc = new double[subject.size()];
        for (int i = 0; i < subject.size(); i++) {
            ProcessData p = subject.get(i);
            Series c = p.summary().seriesOrNull("cpu.jvm");
            Series a = p.summary().seriesOrNull("alloc.rate");
            cpu[i] = c == null ? Double.NaN : c.mean();
            alloc[i] = a == null ? Double.NaN : allocPerSecondPastJit(a, p);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("process", p.id());
            r.put("name", p.name());
            r.put("cpuPercent", cpu[i]);
            r.put("allocBytesPerSecond", alloc[i]);
            rows.add(r);
        }
        double cpuSpread = spread(cpu);
        double allocSpread = spread(alloc);
        double warn = limits.get(this, "warnSpread");
        double fail = limits.get(this, "failSpread");
        Verdict v = worst(Grade.of(nz(cpuSpread), warn, fail), Grade.of(nz(allocSpread), warn, fail));
        Map<String, Object> gap = profileGap(subject, (long) limits.get(this, "minSamples"),
                limits.get(this, "minGapRatio"));
        double g = gap == null ? 0 : (double) gap.get("gap");
        v = worst(v, Grade.of(g, limits.get(this, "warnProfileGap"), limits.get(this, "failProfileGap")));
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("cpuSpread", cpuSpread);
        ev.put("allocSpread", allocSpread);
        ev.put("profileGap", gap);
        ev.put("processes", rows);
        ev.put("series", List.of("cpu.jvm", "alloc.rate"));
        String outlier = gap != null && g >= limits.get(this, "warnProfileGap") ? (String) gap.get("outlierName") : null;
        String summary = String.format(Locale.ROOT, "%d processes: CPU spread %.2f, allocation spread %.2f, largest profile gap %.0f%%%s",
                subject.size(), nz(cpuSpread), nz(allocSpread), g * 100,
                outlier == null ? "" : " (" + outlier + " spends " + pct(gap.get("outlierShare")) + " in " + gap.get("method")
                        + ", peers " + pct(gap.get("peerShare")) + ")");
        double score = Math.max(Math.max(Grade.score(nz(cpuSpread), fail), Grade.score(nz(allocSpread), fail)),
                Grade.score(g, limits.get(this, "failProfileGap")));
        return new CheckResult(id(), title(), service, v, v == Verdict.OK ? 0 : score, summary, ev);
    }

    /** The JIT's first minute, in which allocation rates are not comparable between JVMs (see below). */
    static final long JIT_MILLIS = 60_000;
    static final long MIN_ALLOC_MILLIS = 10_000;

    /**
     * Bytes allocated per second past the JVM's first minute, NaN with less than 10 s of it. While C2 compiles
     * the hot paths, escape analysis removes allocations in one JVM and not yet in its peer: two healthy workers
     * at the same fixed rate allocated at rates more than three times apart in their first 35 s (an idle fresh
     * machine), where CPU differed by half.
     */
    static double allocPerSecondPastJit(Series a, ProcessData p) {
        long start = p.summary().jvm.startMillis > 0 ? p.summary().jvm.startMillis : p.fromMillis();
        long from = Math.max(p.fromMillis(), start + JIT_MILLIS);
        if (p.toMillis() - from < MIN_ALLOC_MILLIS) {
            return Double.NaN;
        }
        double sum = 0;
        for (double v : a.points().subMap(from, true, p.toMillis(), true).values()) {
            sum += v;
        }
        return sum / ((p.toMillis() - from) / 1000.0);
    }

    private static String pct(Object share) {
        return String.format(Locale.ROOT, "%.0f%%", ((Double) share) * 100);
    }

    static String serviceOf(String processId) {
        int slash = processId.indexOf('/');
        return slash < 0 ? processId : processId.substring(0, slash);
    }

    /**
     * The (non-JDK) method whose share of CPU differs most between one process and the mean of its peers, among
     * those the process spends at least {@code minRatio} times its peers' share in. The ratio keeps out the frames
     * every request passes through (a server's handler loop): their share moves with how much of a process's CPU
     * is request work rather than start-up or JIT, and in a healthy run one worker had 83% under its handler and
     * the other 67% at the first poll with enough samples (a 0.16 gap that shrank to 0.07 over 20 s). Extra work
     * shows as a method the peers barely run: 39% against 0% for a worker that hashes on every request.
     */
    static Map<String, Object> profileGap(List<ProcessData> subject, long minSamples, double minRatio) {
        List<Map<String, Double>> shares = new ArrayList<>();
        long[] samples = new long[subject.size()];
        for (ProcessData p : subject) {
            var prof = p.summary().profileOrNull(ProfileType.CPU);
            if (prof == null || prof.totalCount() < minSamples) {
                return null;
            }
            samples[shares.size()] = prof.totalCount();
            Map<String, Double> m = new HashMap<>();
            // Every method, not a top-N by self time: a method with no self time but a large total (a caller) can
            // fall out of one process's top N and not another's, which reads as a gap that is not there.
            for (TopFrames.Row r : TopFrames.methods(p.summary(), ProfileType.CPU, Integer.MAX_VALUE)) {
                if (!isJdk(r.name())) {
                    m.put(r.name(), r.totalShare());
                }
            }
            shares.add(m);
        }
        double best = 0;
        String method = null;
        int outlier = -1;
        double peer = 0;
        for (int i = 0; i < shares.size(); i++) {
            for (Map.Entry<String, Double> e : shares.get(i).entrySet()) {
                double others = 0;
                for (int j = 0; j < shares.size(); j++) {
                    if (j != i) {
                        others += shares.get(j).getOrDefault(e.getKey(), 0.0);
                    }
                }
                others /= shares.size() - 1;
                // Only a process that spends MORE in a method is the outlier: with two processes the gap is
                // symmetric, and the one doing extra work is the one to look at.
                if (e.getValue() - others > best && e.getValue() >= minRatio * others
                        && significant(e.getValue(), samples[i], others, peerSamples(samples, i))) {
                    best = e.getValue() - others;
                    method = e.getKey();
                    outlier = i;
                    peer = others;
                }
            }
        }
        if (method == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gap", best);
        m.put("method", method);
        m.put("outlier", subject.get(outlier).id());
        m.put("outlierName", subject.get(outlier).name());
        m.put("outlierShare", shares.get(outlier).get(method));
        m.put("peerShare", peer);
        return m;
    }

    /** z of a two-proportion test at or above which a share gap is more than sampling noise. */
    static final double MIN_Z = 4;

    /**
     * Whether a share of n1 samples differs from a share of n2 by more than sampling noise: a two-proportion z
     * test at {@value #MIN_Z}. At a modest fixed rate a worker gets few CPU samples (53 in 35 s at 300 requests/s
     * and 20% CPU); the test lets a large gap count on few samples while a small one needs many.
     */
    static boolean significant(double p1, long n1, double p2, long n2) {
        double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        return se == 0 || (p1 - p2) / se >= MIN_Z;
    }

    private static long peerSamples(long[] samples, int outlier) {
        long n = 0;
        for (int j = 0; j < samples.length; j++) {
            n += j == outlier ? 0 : samples[j];
        }
        return n;
    }

    /**
     * JDK methods are left out of the gap: where their time lands differs with each JVM's JIT state (an intrinsic
     * compiled in one worker and not yet in the other put 31% of one worker's samples in
     * DigestBase.implCompressMultiBlock and none of the other's), while extra work an application does shows in
     * its own methods, whose totals include the JDK code they call.
     */
    static boolean isJdk(String method) {
        return method.startsWith("java.") || method.startsWith("jdk.") || method.startsWith("sun.")
                || method.startsWith("com.sun.") || method.startsWith("javax.");
    }

    static double spread(double[] v) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        double sum = 0;
        int n = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                min = Math.min(min, x);
                max = Math.max(max, x);
                sum += x;
                n++;
            }
        }
        return n < 2 || sum == 0 ? Double.NaN : (max - min) / (sum / n);
    }

    private static double nz(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static Verdict worst(Verdict a, Verdict b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
