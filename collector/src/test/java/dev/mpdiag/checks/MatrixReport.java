package dev.mpdiag.checks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The matrix's results as text: confusion matrix, detection times and evidence, the numbers behind them, problems. */
public final class MatrixReport {
    final DiagnoseMatrix.Settings settings;
    final List<MatrixOutcome> outcomes;

    MatrixReport(DiagnoseMatrix.Settings settings, List<MatrixOutcome> outcomes) {
        this.settings = settings;
        this.outcomes = outcomes;
    }

    public List<MatrixOutcome> outcomes() {
        return outcomes;
    }

    /** Misses, wrong evidence, false alarms in the healthy run, and failed scenarios; empty when all is well. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        for (MatrixOutcome o : outcomes) {
            String n = o.scenario.name();
            if (o.error != null) {
                p.add(n + ": scenario failed: " + o.error);
            }
            if (!o.detected()) {
                p.add(n + ": " + o.scenario.expectedCheck() + " never reached warn (highest "
                        + o.highest.get(o.scenario.expectedCheck()) + ")");
            } else {
                for (String e : o.evidenceProblems()) {
                    p.add(n + ": evidence: " + e);
                }
            }
            if (o.scenario.fault() == null && !o.unexpected().isEmpty()) {
                p.add(n + ": false alarm " + o.unexpected());
            }
        }
        return p;
    }

    /** Checks other than the expected one that reached warn in a fault's run. */
    public List<String> crossTalk() {
        List<String> p = new ArrayList<>();
        for (MatrixOutcome o : outcomes) {
            if (o.scenario.fault() != null && !o.unexpected().isEmpty()) {
                p.add(o.scenario.name() + ": " + o.unexpected());
            }
        }
        return p;
    }

    public String text() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        print(new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8);
    }

    public void print(PrintStream out) {
        List<String> checks = DiagnoseMatrix.CHECK_IDS;
        out.printf(Locale.ROOT, "%nDiagnosis matrix: %d workers, %d s of load per scenario, %d connections, polls every %d s%s%n",
                settings.workers(), settings.loadSeconds(), settings.connections(), settings.pollSeconds(),
                settings.thresholds().isEmpty() ? "" : ", thresholds " + settings.thresholds());
        out.println("Highest verdict seen over the run (any process; * marks the check expected to flag the fault):");
        out.printf("%-12s", "scenario");
        for (String c : checks) {
            out.printf(" %15s", c);
        }
        out.println();
        for (MatrixOutcome o : outcomes) {
            out.printf("%-12s", o.scenario.name());
            for (String c : checks) {
                Verdict v = o.highest.get(c);
                String cell = v == null ? "-" : v == Verdict.WARN || v == Verdict.FAIL ? v.name() : v.id();
                if (c.equals(o.scenario.expectedCheck())) {
                    cell = "*" + cell;
                }
                out.printf(" %15s", cell);
            }
            out.println();
        }
        out.println();
        out.println("Detection (seconds from load start to the first poll at warn or above; final = verdict at the last poll"
                + (settings.untilFlagged() ? ", a fault's run ending at the first poll that flagged it with the right evidence):" : "):"));
        out.printf("%-12s %-15s %8s %6s %8s %8s  %s%n", "scenario", "check", "detected", "final", "evidence", "req/s", "evidence digest");
        for (MatrixOutcome o : outcomes) {
            String c = o.scenario.expectedCheck();
            Double t = c == null ? null : o.firstFlagSeconds.get(c);
            String evidence = c == null ? "-" : !o.detected() ? "-" : o.evidenceProblems().isEmpty() ? "right" : "WRONG";
            out.printf(Locale.ROOT, "%-12s %-15s %8s %6s %8s %8.0f  %s%n", o.scenario.name(), c == null ? "(none)" : c,
                    c == null ? (o.unexpected().isEmpty() ? "clean" : "ALARM") : t == null ? "MISSED" : String.format(Locale.ROOT, "%.0f s", t),
                    c == null ? "" : o.finals.getOrDefault(c, Verdict.NOT_APPLICABLE).id(), evidence, o.qps,
                    c == null ? "" : o.scenario.evidenceDigest(o.flaggedExpected));
        }
        out.println();
        out.println("Numbers each check judged by, at the last poll (max over processes) [peak over all polls]:");
        for (MatrixOutcome o : outcomes) {
            out.printf("%s%n", o.scenario.name());
            for (Map.Entry<String, Map<String, Double>> e : o.finalMetrics.entrySet()) {
                StringBuilder line = new StringBuilder();
                for (Map.Entry<String, Double> m : e.getValue().entrySet()) {
                    Double peak = o.peakMetrics.getOrDefault(e.getKey(), Map.of()).get(m.getKey());
                    line.append(String.format(Locale.ROOT, " %s=%s [%s]", m.getKey(), num(m.getValue()), num(peak)));
                }
                out.printf("  %-15s%s%n", e.getKey(), line);
            }
        }
        List<String> problems = problems();
        List<String> cross = crossTalk();
        out.println();
        out.println(problems.isEmpty() ? "Every fault detected with the right evidence; the healthy run raised nothing."
                : "Problems:\n  " + String.join("\n  ", problems));
        out.println(cross.isEmpty() ? "No cross-talk: no fault raised another check at warn or above."
                : "Cross-talk (other checks at warn or above during a fault):\n  " + String.join("\n  ", cross));
    }

    static String num(Double v) {
        if (v == null || v.isNaN()) {
            return "-";
        }
        double a = Math.abs(v);
        return a >= 1e6 ? String.format(Locale.ROOT, "%.3g", v) : a >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.3f", v);
    }

    /** One poll in a line: each check's worst verdict and its main number. */
    static String pollLine(JsonNode body) {
        Map<String, String> worst = new TreeMap<>();
        Map<String, Verdict> v = new TreeMap<>();
        for (JsonNode r : body.path("results")) {
            String check = r.path("check").asText();
            Verdict verdict = MatrixOutcome.verdict(r.path("verdict").asText());
            if (!v.containsKey(check) || verdict.compareTo(v.get(check)) > 0) {
                v.put(check, verdict);
                String first = MatrixOutcome.METRICS.getOrDefault(check, List.of("?")).get(0);
                JsonNode n = r.path("evidence");
                for (String part : first.split("\\.")) {
                    n = n.path(part);
                }
                worst.put(check, (verdict == Verdict.WARN || verdict == Verdict.FAIL ? verdict.name() : verdict.id())
                        + (n.isNumber() ? "(" + num(n.asDouble()) + ")" : ""));
            }
        }
        StringBuilder b = new StringBuilder();
        worst.forEach((k, s) -> b.append(k).append('=').append(s).append(' '));
        return b.toString().trim();
    }
}
