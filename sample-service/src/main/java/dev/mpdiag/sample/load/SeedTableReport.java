package dev.mpdiag.sample.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the founding table as Markdown (for people and BENCHMARKS.md) and JSON (for tests and tools). */
final class SeedTableReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SeedTableReport() {
    }

    static String markdown(SeedTable.Result result, String commandLine) {
        SeedTable.Config c = result.config();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT,
                "Machine: %s. Load generator: %s, %d connections, GET %s, warm-up %s, measured %s per row. "
                        + "CPU%% is of one core (100 = one core busy), over the measured window.%n%n",
                Machine.describe(), generatorLabel(c), c.connections(), c.path(), c.warmup().describe(),
                Durations.format(c.duration())));
        md.append("Command: `").append(commandLine).append("`\n\n");
        md.append("| mode | processes | mean latency ms | p99 ms | QPS | CPU% per process | loadgen CPU% "
                + "| machine busy % |\n");
        md.append("|---|---:|---:|---:|---:|---|---:|---:|\n");
        for (SeedRow r : result.rows()) {
            LoadResult l = r.load();
            md.append(String.format(Locale.ROOT, "| (%s) %s | %d | %.2f | %.2f | %,.0f | %s | %s | %s |%n",
                    r.id(), r.mode(), r.processes(), l.meanMs(), l.p99Ms(), l.qps(), cpuList(r),
                    percent(l.loadgenCpuPercent()), percent(r.machineBusyPercent())));
        }
        md.append('\n');
        md.append("Machine busy % is of all cores together; the rest of the machine's busy time is the supervisor's "
                + "and other processes'.\n\n");
        md.append("Warm-up:");
        for (SeedRow r : result.rows()) {
            md.append(" (").append(r.id()).append(") ").append(warmupSummary(r.warmup())).append(';');
        }
        md.setLength(md.length() - 1);
        md.append(".\n\n");
        for (SeedRow r : result.rows()) {
            if (r.load().errors() > 0 || r.load().non2xx() > 0 || !r.leftoverPids().isEmpty()) {
                md.append(String.format(Locale.ROOT, "Row (%s): %d transport errors, %d non-2xx responses%s.%n",
                        r.id(), r.load().errors(), r.load().non2xx(),
                        r.leftoverPids().isEmpty() ? "" : ", processes left after stop " + r.leftoverPids()));
            }
        }
        md.append("Target: ").append(result.verdict()).append('\n');
        return md.toString();
    }

    /** "6 rounds at 4 connections, 3 at 64; last 3,681 req/s, JIT 2% busy". */
    static String warmupSummary(List<Warmup.Round> rounds) {
        if (rounds.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < rounds.size()) {
            int c = rounds.get(i).connections();
            int j = i;
            while (j < rounds.size() && rounds.get(j).connections() == c) {
                j++;
            }
            sb.append(sb.length() == 0 ? "" : ", ").append(j - i).append(j - i == 1 ? " round" : " rounds")
                    .append(" at ").append(c).append(" connections");
            i = j;
        }
        Warmup.Round last = rounds.get(rounds.size() - 1);
        sb.append(String.format(Locale.ROOT, ", last %,.0f req/s", last.qps()));
        if (!Double.isNaN(last.jitPercent())) {
            sb.append(String.format(Locale.ROOT, " with the JIT %.0f%% busy", last.jitPercent()));
        }
        return sb.toString();
    }

    /** "97, 95": CPU of each serving process; "?" for one that was not there for the whole window. */
    static String cpuList(SeedRow r) {
        StringBuilder sb = new StringBuilder();
        for (SeedRow.ProcessShare p : r.cpu()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(percent(p.cpuPercent()));
        }
        return sb.toString();
    }

    static void write(SeedTable.Result result, String commandLine, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("seed-table.md"), markdown(result, commandLine), StandardCharsets.UTF_8);
        JSON.writeValue(dir.resolve("seed-table.json").toFile(), json(result, commandLine));
    }

    static ObjectNode json(SeedTable.Result result, String commandLine) {
        SeedTable.Config c = result.config();
        ObjectNode root = JSON.createObjectNode();
        root.put("command", commandLine);
        ObjectNode machine = root.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("cpuModel", Machine.cpuModel());
        machine.put("memoryGiB", Machine.memoryGiB());
        machine.put("jdk", Machine.jdk());
        ObjectNode load = root.putObject("load");
        load.put("generator", c.generator());
        load.put("connections", c.connections());
        load.put("threads", c.threads());
        load.put("path", c.path());
        load.put("durationMillis", c.duration().toMillis());
        if (c.warmup().auto()) {
            load.put("warmup", "auto");
        } else {
            load.put("warmupMillis", c.warmup().fixed().toMillis());
        }
        root.put("workers", c.workers());
        root.put("agent", c.agent());
        root.put("agentOptions", c.agentOptions());
        root.put("collector", c.collector());
        ArrayNode rows = root.putArray("rows");
        for (SeedRow r : result.rows()) {
            ObjectNode row = rows.addObject();
            row.put("id", r.id());
            row.put("mode", r.mode());
            ArrayNode cmd = row.putArray("serviceCommand");
            r.command().forEach(cmd::add);
            row.put("processes", r.processes());
            ArrayNode warm = row.putArray("warmup");
            for (Warmup.Round w : r.warmup()) {
                ObjectNode o = warm.addObject();
                o.put("connections", w.connections());
                num(o, "qps", w.qps());
                num(o, "jitPercent", w.jitPercent());
            }
            LoadResult l = r.load();
            num(row, "meanMs", l.meanMs());
            num(row, "p50Ms", l.p50Ms());
            num(row, "p90Ms", l.p90Ms());
            num(row, "p99Ms", l.p99Ms());
            num(row, "maxMs", l.maxMs());
            num(row, "qps", l.qps());
            row.put("requests", l.requests());
            num(row, "durationSeconds", l.durationSeconds());
            row.put("errors", l.errors());
            row.put("non2xx", l.non2xx());
            ArrayNode cpu = row.putArray("cpu");
            for (SeedRow.ProcessShare p : r.cpu()) {
                ObjectNode o = cpu.addObject();
                o.put("role", p.role());
                o.put("pid", p.pid());
                num(o, "cpuPercent", p.cpuPercent());
            }
            num(row, "supervisorCpuPercent", r.supervisorCpuPercent());
            num(row, "loadgenCpuPercent", l.loadgenCpuPercent());
            num(row, "machineBusyPercent", r.machineBusyPercent());
            num(row, "otherCpuPercent", r.otherCpuPercent(Runtime.getRuntime().availableProcessors()));
            ObjectNode statuses = row.putObject("statusCounts");
            for (Map.Entry<Integer, Long> e : l.statusCounts().entrySet()) {
                statuses.put(Integer.toString(e.getKey()), e.getValue());
            }
            ObjectNode byWorker = row.putObject("workerCounts");
            for (Map.Entry<String, Long> e : l.workerCounts().entrySet()) {
                byWorker.put(e.getKey(), e.getValue());
            }
            ArrayNode left = row.putArray("leftoverPids");
            r.leftoverPids().forEach(left::add);
        }
        ObjectNode target = root.putObject("target");
        num(target, "ratio", result.ratio());
        target.put("threshold", SeedTable.TARGET_RATIO);
        target.put("met", result.met());
        target.put("verdict", result.verdict());
        return root;
    }

    static ObjectNode loadResultJson(LoadResult l) {
        ObjectNode o = JSON.createObjectNode();
        o.put("generator", l.generator());
        o.put("requests", l.requests());
        num(o, "durationSeconds", l.durationSeconds());
        num(o, "qps", l.qps());
        if (l.paced()) {
            num(o, "offeredQps", l.offeredQps());
        }
        num(o, "meanMs", l.meanMs());
        num(o, "p50Ms", l.p50Ms());
        num(o, "p90Ms", l.p90Ms());
        num(o, "p99Ms", l.p99Ms());
        num(o, "p999Ms", l.p999Ms());
        num(o, "maxMs", l.maxMs());
        o.put("errors", l.errors());
        o.put("non2xx", l.non2xx());
        num(o, "loadgenCpuPercent", l.loadgenCpuPercent());
        ObjectNode statuses = o.putObject("statusCounts");
        l.statusCounts().forEach((k, v) -> statuses.put(Integer.toString(k), v));
        ObjectNode workers = o.putObject("workerCounts");
        l.workerCounts().forEach(workers::put);
        return o;
    }

    static void writeJson(ObjectNode node, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), node);
    }

    private static String generatorLabel(SeedTable.Config c) {
        return c.generator().equals("wrk")
                ? "wrk (" + c.threads() + " threads; its latencies are corrected for coordinated omission)"
                : "the built-in Java generator (raw latencies)";
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "?" : String.format(Locale.ROOT, "%.0f", v);
    }

    /** JSON has no NaN: unknown numbers are null. */
    private static void num(ObjectNode o, String field, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(field);
        } else {
            o.put(field, Math.round(v * 1000) / 1000.0);
        }
    }
}
