package dev.mpdiag.checks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one scenario of the matrix saw, built up poll by poll: per check the highest verdict over all
 * subjects and polls, when it was first flagged (warn or above), the verdict of the last poll, and the
 * numbers each check judged by (for calibrating thresholds).
 */
final class MatrixOutcome {
    /** Evidence fields holding the number each check compares with its thresholds (max over subjects). */
    static final Map<String, List<String>> METRICS = new LinkedHashMap<>();

    static {
        METRICS.put("heap-trend", List.of("heldShare", "sharePerHour", "oldCycles"));
        METRICS.put("thread-pileup", List.of("growth", "threadsPerMinute"));
        METRICS.put("fd-leak", List.of("growth", "fdsPerMinute"));
        METRICS.put("class-growth", List.of("classesPerMinute", "fit"));
        METRICS.put("lock-hotspot", List.of("blockedThreads"));
        METRICS.put("alloc-stability", List.of("variation", "cv", "meanBytesPerSecond"));
        METRICS.put("ctx-storm", List.of("voluntaryPerSecond", "involuntaryPerSecond", "switchesPerCpuSample"));
        METRICS.put("imbalance", List.of("cpuSpread", "allocSpread", "profileGap.gap"));
        METRICS.put("gc-pressure", List.of("pauseShare", "liveShare", "collectionsPerMinute"));
    }

    final MatrixScenario scenario;
    final Map<String, Verdict> highest = new TreeMap<>();
    final Map<String, Double> firstFlagSeconds = new TreeMap<>();
    final Map<String, Verdict> finals = new TreeMap<>();
    /** check -> metric -> value at the last poll / the largest over the polls. */
    final Map<String, Map<String, Double>> finalMetrics = new TreeMap<>();
    final Map<String, Map<String, Double>> peakMetrics = new TreeMap<>();
    /** The expected check's result at the last poll that flagged it (the evidence judged). */
    JsonNode flaggedExpected;
    double qps = Double.NaN;
    int polls;
    String error;

    MatrixOutcome(MatrixScenario scenario) {
        this.scenario = scenario;
    }

    /** Folds in one answer of /api/v1/checks taken {@code seconds} after load started. */
    void add(JsonNode body, double seconds) {
        polls++;
        finals.clear();
        finalMetrics.clear();
        for (JsonNode r : body.path("results")) {
            String check = r.path("check").asText();
            Verdict v = verdict(r.path("verdict").asText());
            highest.merge(check, v, MatrixOutcome::worst);
            finals.merge(check, v, MatrixOutcome::worst);
            if (v.compareTo(Verdict.WARN) >= 0) {
                firstFlagSeconds.putIfAbsent(check, seconds);
                if (check.equals(scenario.expectedCheck())) {
                    flaggedExpected = r;
                }
            }
            for (String m : METRICS.getOrDefault(check, List.of())) {
                JsonNode n = r.path("evidence");
                for (String part : m.split("\\.")) {
                    n = n.path(part);
                }
                if (n.isNumber()) {
                    finalMetrics.computeIfAbsent(check, k -> new LinkedHashMap<>()).merge(m, n.asDouble(), Math::max);
                    peakMetrics.computeIfAbsent(check, k -> new LinkedHashMap<>()).merge(m, n.asDouble(), Math::max);
                }
            }
        }
    }

    static Verdict verdict(String text) {
        return Verdict.valueOf(text.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    static Verdict worst(Verdict a, Verdict b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    boolean detected() {
        return scenario.expectedCheck() == null
                || highest.getOrDefault(scenario.expectedCheck(), Verdict.NOT_APPLICABLE).compareTo(Verdict.WARN) >= 0;
    }

    List<String> evidenceProblems() {
        return scenario.expectedCheck() == null ? List.of() : scenario.evidenceProblems(flaggedExpected);
    }

    /** Checks other than the expected one that reached warn or above (in the healthy run: false alarms). */
    Map<String, Verdict> unexpected() {
        Map<String, Verdict> out = new TreeMap<>();
        highest.forEach((check, v) -> {
            if (v.compareTo(Verdict.WARN) >= 0 && !check.equals(scenario.expectedCheck())) {
                out.put(check, v);
            }
        });
        return out;
    }
}
