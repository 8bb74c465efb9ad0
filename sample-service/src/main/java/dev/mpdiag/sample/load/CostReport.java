package dev.mpdiag.sample.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The cost run's figures against off, one row per configuration: worker CPU per request, p99 and p99.9 at the fixed
 * rate and QPS at saturation, each the median of per-round ratios with its 95% bootstrap interval, and the target
 * the row is held to. off2 is the noise floor.
 */
final class CostReport {
    /** Worker CPU per request and p99 at the fixed rate for the default profile (issue 13). */
    static final double DEFAULT_CPU_TARGET = 1.01;
    static final double DEFAULT_P99_TARGET = 1.05;
    /** Worker CPU per request with the collector absent, hanging, failing or slow. */
    static final double FAULT_CPU_TARGET = 1.02;

    /** One configuration against off. NaN targets: measured, held to nothing. */
    record Row(String config, PairedRatio cpu, PairedRatio p99, PairedRatio p999, PairedRatio saturationQps,
            double cpuMicros, double p99Ms, double heldRate, double cpuTarget, double p99Target) {

        String verdict() {
            List<String> parts = new ArrayList<>();
            if (!Double.isNaN(cpuTarget)) {
                parts.add(judge("CPU/request", cpu, cpuTarget));
            }
            if (!Double.isNaN(p99Target)) {
                parts.add(judge("p99", p99, p99Target));
            }
            return String.join("; ", parts);
        }

        private static String judge(String what, PairedRatio r, double target) {
            if (r.pairs() == 0) {
                return what + ": no pairs";
            }
            return String.format(Locale.ROOT, "%s <= %.2fx %s", what, target,
                    r.within(target) ? "met" : r.median() <= target ? "not shown (the interval reaches "
                            + String.format(Locale.ROOT, "%.3f", r.high()) + ")" : "missed");
        }
    }

    private CostReport() {
    }

    static List<Row> rows(CostBench.Result result) {
        List<CostWindow> w = result.windows();
        int rounds = result.options().pairs();
        List<Row> rows = new ArrayList<>();
        double[] offCpu = perRound(w, CostConfig.OFF, true, rounds, CostWindow::cpuPerRequestMicros);
        double[] offP99 = perRound(w, CostConfig.OFF, true, rounds, CostWindow::p99Ms);
        double[] offP999 = perRound(w, CostConfig.OFF, true, rounds, CostWindow::p999Ms);
        double[] offQps = perRound(w, CostConfig.OFF, false, rounds, CostWindow::qps);
        for (CostConfig c : result.options().configs()) {
            if (c.name().equals(CostConfig.OFF)) {
                continue;
            }
            double[] cpu = perRound(w, c.name(), true, rounds, CostWindow::cpuPerRequestMicros);
            double[] p99 = perRound(w, c.name(), true, rounds, CostWindow::p99Ms);
            double held = Double.POSITIVE_INFINITY;
            for (CostWindow x : w) {
                if (x.config().equals(c.name()) && x.paced()) {
                    held = Math.min(held, x.qps() / x.offered());
                }
            }
            boolean isDefault = c.agent() && c.fault() == null && c.profile().equals("default")
                    && c.extraOptions().isEmpty();
            rows.add(new Row(c.name(), PairedRatio.of(cpu, offCpu), PairedRatio.of(p99, offP99),
                    PairedRatio.of(perRound(w, c.name(), true, rounds, CostWindow::p999Ms), offP999),
                    PairedRatio.of(perRound(w, c.name(), false, rounds, CostWindow::qps), offQps),
                    PairedRatio.median(finite(cpu)), PairedRatio.median(finite(p99)),
                    held == Double.POSITIVE_INFINITY ? Double.NaN : held,
                    isDefault ? DEFAULT_CPU_TARGET : c.fault() != null ? FAULT_CPU_TARGET : Double.NaN,
                    isDefault ? DEFAULT_P99_TARGET : Double.NaN));
        }
        return rows;
    }

    /** The figure of each round's window of one configuration and kind; NaN where the round has none. */
    static double[] perRound(List<CostWindow> windows, String config, boolean paced, int rounds,
            ToDoubleFunction<CostWindow> figure) {
        double[] v = new double[rounds];
        java.util.Arrays.fill(v, Double.NaN);
        for (CostWindow w : windows) {
            if (w.config().equals(config) && w.paced() == paced && w.round() < rounds) {
                v[w.round()] = figure.applyAsDouble(w);
            }
        }
        return v;
    }

    private static double[] finite(double[] v) {
        return java.util.Arrays.stream(v).filter(Double::isFinite).toArray();
    }

    /** The collector's CPU per streaming agent, in ms per second, median over the fixed-rate windows. */
    static double collectorMsPerAgentSecond(CostBench.Result result) {
        if (result.streamingAgents() == 0) {
            return Double.NaN;
        }
        double[] v = result.windows().stream().filter(CostWindow::paced)
                .mapToDouble(w -> w.collectorCoreShare() * 1000 / result.streamingAgents())
                .filter(Double::isFinite).toArray();
        return v.length == 0 ? Double.NaN : PairedRatio.median(v);
    }

    static String markdown(CostBench.Result result, List<Row> rows, String commandLine) {
        CostBench.Options o = result.options();
        double offCpu = PairedRatio.median(finite(perRound(result.windows(), CostConfig.OFF, true, o.pairs(),
                CostWindow::cpuPerRequestMicros)));
        double offP99 = PairedRatio.median(finite(perRound(result.windows(), CostConfig.OFF, true, o.pairs(),
                CostWindow::p99Ms)));
        StringBuilder md = new StringBuilder();
        md.append("# Agent cost per request\n\n");
        md.append("`").append(commandLine).append("`, ").append(Instant.ofEpochMilli(result.startMillis()))
                .append(" to ").append(Instant.ofEpochMilli(result.endMillis())).append("\n\n");
        md.append(String.format(Locale.ROOT, "- Machine: %s.%n", result.machine()));
        md.append(String.format(Locale.ROOT, "- Layout: the measured worker alone on cpu %s; the other workers, the "
                + "collector and the load generator on cpu %s.%n", o.workerCpus(), o.loadCpus()));
        md.append(String.format(Locale.ROOT, "- Load: %s on %d connections; fixed rate %.0f requests/s (%.0f%% of "
                + "off's capacity, %.0f requests/s), open loop, latency from the intended send times; %s windows at "
                + "the rate and %s at saturation; %d rounds, the order rotating.%n", o.path(), o.connections(),
                result.rate(), o.rateShare() * 100, result.capacityQps(), Durations.format(o.window()),
                Durations.format(o.saturation()), o.pairs()));
        md.append(String.format(Locale.ROOT, "- off: %.1f us of worker CPU per request, p99 %.3f ms at the rate.%n",
                offCpu, offP99));
        double coll = collectorMsPerAgentSecond(result);
        if (!Double.isNaN(coll)) {
            md.append(String.format(Locale.ROOT, "- The collector used %.2f ms of CPU per second per agent (%d agents "
                    + "streaming to it).%n", coll, result.streamingAgents()));
        }
        md.append("\nRatios are configuration over off, the median of the rounds' pairs, [95% bootstrap interval]. "
                + "off2 is a second JVM without the agent: its row is this run's noise floor.\n\n");
        md.append("| configuration | CPU/request | p99 at the rate | p99.9 at the rate | QPS at saturation "
                + "| us/request | held rate | target |\n|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.1f | %.0f%% | %s |%n", r.config(),
                    cell(r.cpu()), cell(r.p99()), cell(r.p999()), cell(r.saturationQps()), r.cpuMicros(),
                    r.heldRate() * 100, r.config().equals(CostConfig.NOISE) ? "noise floor" : r.verdict()));
        }
        return md.toString();
    }

    static String cell(PairedRatio r) {
        if (r.pairs() == 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", r.median(), r.low(), r.high());
    }

    static void write(CostBench.Result result, List<Row> rows, String commandLine) throws IOException {
        Path out = result.options().out();
        Files.writeString(out.resolve("cost.md"), markdown(result, rows, commandLine), StandardCharsets.UTF_8);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("command", commandLine);
        root.put("machine", result.machine());
        root.put("capacityQps", result.capacityQps());
        root.put("rate", result.rate());
        root.put("pairs", result.options().pairs());
        root.put("collectorMsPerAgentSecond", collectorMsPerAgentSecond(result));
        ArrayNode a = root.putArray("rows");
        for (Row r : rows) {
            ObjectNode n = a.addObject();
            n.put("config", r.config());
            Map<String, PairedRatio> ratios = new LinkedHashMap<>();
            ratios.put("cpuPerRequest", r.cpu());
            ratios.put("p99", r.p99());
            ratios.put("p999", r.p999());
            ratios.put("saturationQps", r.saturationQps());
            ratios.forEach((k, v) -> {
                ObjectNode x = n.putObject(k);
                x.put("median", v.median());
                x.put("low", v.low());
                x.put("high", v.high());
                x.put("pairs", v.pairs());
            });
            n.put("cpuMicrosPerRequest", r.cpuMicros());
            n.put("heldRate", r.heldRate());
            n.put("verdict", r.config().equals(CostConfig.NOISE) ? "noise floor" : r.verdict());
        }
        json.writeValue(out.resolve("cost.json").toFile(), root);
    }
}
