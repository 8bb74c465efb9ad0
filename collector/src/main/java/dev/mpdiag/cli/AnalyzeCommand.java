package dev.mpdiag.cli;

import dev.mpdiag.checks.CheckResult;
import dev.mpdiag.checks.Checks;
import dev.mpdiag.checks.Limits;
import dev.mpdiag.checks.ProcessData;
import dev.mpdiag.engine.ProcessSummary;
import dev.mpdiag.engine.RecordingAnalyzer;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.engine.jmc.JmcFinding;
import dev.mpdiag.engine.jmc.JmcRuleRunner;
import dev.mpdiag.report.CheckReport;
import dev.mpdiag.report.FailOn;
import dev.mpdiag.report.HtmlReport;
import dev.mpdiag.report.JsonReport;
import dev.mpdiag.report.ProcessReport;
import dev.mpdiag.report.ReportBuilder;
import dev.mpdiag.report.TextReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `mpdiag analyze`: the per-process and merged report of one or more recordings. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Reports hot methods, allocation, locks, GC, context switches and JMC findings per process and merged.",
                "Give one .jfr per worker process to see each process and all of them together."})
final class AnalyzeCommand implements Callable<Integer> {
    /** Files larger than this skip JMC's rules under --jmc=auto: its loader keeps every event in memory. */
    private static final long JMC_AUTO_LIMIT = 256L << 20;

    enum JmcMode { auto, on, off }

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "JFR recordings (.jfr).")
    List<Path> files;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report with flame graphs.")
    Path html;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON (schema: docs/report-json.md).")
    Path json;

    @Option(names = "--fail-on", paramLabel = "LIST", split = ",",
            description = "Exit 1 when any of these is reached: a check id (heap-trend, lock-hotspot, ...; at warn, or "
                    + "id:fail), checks (any check at warn; checks:fail), a JMC severity (info, warning) or a JMC rule id, "
                    + "optionally with a severity (JavaBlocking:info). Example: --fail-on checks:fail,lock-hotspot,SystemGc:info")
    List<String> failOn = new ArrayList<>();

    @Option(names = "--jmc", paramLabel = "MODE", defaultValue = "auto",
            description = "Run JMC's automated-analysis rules: auto (skip files over 256 MB), on, off. Default: ${DEFAULT-VALUE}.")
    JmcMode jmc;

    @Option(names = "--threshold", paramLabel = "CHECK.KEY=VALUE",
            description = "Override a check threshold (repeatable), e.g. --threshold heap-trend.warnSharePerHour=0.1; docs/checks.md lists them.")
    List<String> thresholds = new ArrayList<>();

    @Option(names = "--checks-config", paramLabel = "FILE", description = "Check thresholds, one CHECK.KEY=VALUE per line.")
    Path checksConfig;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        FailOn gate = FailOn.parse(failOn, JmcRuleRunner.ruleIds());
        Limits limits = ChecksConfig.load(checksConfig, thresholds);
        if (gate.needsJmc() && jmc == JmcMode.off) {
            throw new Main.UsageException("--fail-on needs JMC's rules; it cannot be combined with --jmc=off");
        }
        OutputFiles.checkWritable(html, json);
        RecordingAnalyzer.Result result = Inputs.analyze(files, quiet);
        Inputs.printWarnings(result);
        List<ProcessReport> reports = new ArrayList<>();
        for (ProcessSummary p : result.processes()) {
            List<JmcFinding> findings = null;
            String jmcError = null;
            if (jmc == JmcMode.off) {
                jmcError = "not run (--jmc=off)";
            } else if (jmc == JmcMode.auto && size(p) > JMC_AUTO_LIMIT) {
                jmcError = "not run: recording over 256 MB (use --jmc=on to force)";
            } else {
                try {
                    findings = runJmc(p);
                } catch (Exception e) {
                    jmcError = "could not run: " + e.getMessage();
                }
            }
            reports.add(ReportBuilder.build(p, findings, jmcError));
        }
        ProcessReport merged = ReportBuilder.buildMerged(result.merged(), reports, mergedSources(result));
        new TextReport(System.out).print(reports, merged, result.warnings());
        List<CheckResult> checks = runChecks(result, limits);
        CheckReport.print(System.out, checks);
        if (json != null) {
            JsonReport.write(json, reports, merged, result.warnings(), checks);
            System.err.println("mpdiag: wrote " + json);
        }
        if (html != null) {
            HtmlReport.write(html, result, reports, merged);
            System.err.println("mpdiag: wrote " + html);
        }
        List<String> reached = new ArrayList<>(gate.reached(reports));
        reached.addAll(gate.reachedChecks(checks));
        if (!reached.isEmpty()) {
            System.err.println("mpdiag: --fail-on reached: " + String.join("; ", reached));
            return Main.EXIT_GATE;
        }
        return 0;
    }

    /**
     * The files of one run are the processes of one service: per-process checks on each, and the checks across
     * processes on all of them together.
     */
    static List<CheckResult> runChecks(RecordingAnalyzer.Result result, Limits limits) {
        List<ProcessData> data = new ArrayList<>();
        for (ProcessSummary p : result.processes()) {
            Summary s = p.summary();
            if (s.startNanos() <= s.endNanos()) {
                data.add(new ProcessData(p.label(), java.util.Map.of(), s, s.startNanos() / 1_000_000L,
                        s.endNanos() / 1_000_000L));
            }
        }
        return data.isEmpty() ? List.of() : Checks.run(java.util.Map.of("recordings", data), limits);
    }

    private static List<String> mergedSources(RecordingAnalyzer.Result r) {
        List<String> s = new ArrayList<>();
        for (ProcessSummary p : r.processes()) {
            s.addAll(p.sources());
        }
        return s;
    }

    private static long size(ProcessSummary p) {
        long total = 0;
        for (String s : p.sources()) {
            try {
                total += Files.size(Path.of(s));
            } catch (Exception e) {
                // size unknown: let JMC try
            }
        }
        return total;
    }

    /**
     * JMC's loader logs skipped damaged chunks with stack traces through java.util.logging; the CLI reports those
     * as one-line warnings of its own. Turned off when JMC is first run, not at start: setting java.util.logging
     * up takes about 35 ms (BENCHMARKS.md "Start-up"), which flame, diff and analyze --jmc off need not pay.
     * Held in a field: java.util.logging keeps loggers weakly.
     */
    private static final class JmcLogging {
        private static final java.util.logging.Logger JMC = java.util.logging.Logger.getLogger("org.openjdk.jmc");

        static void off() {
            JMC.setLevel(java.util.logging.Level.OFF);
        }
    }

    private static List<JmcFinding> runJmc(ProcessSummary p) throws Exception {
        JmcLogging.off();
        JmcRuleRunner runner = new JmcRuleRunner();
        if (p.sources().size() == 1) {
            return runner.run(Path.of(p.sources().get(0)));
        }
        List<byte[]> chunks = new ArrayList<>();
        for (String s : p.sources()) {
            chunks.add(Files.readAllBytes(Path.of(s)));
        }
        return runner.run(chunks);
    }
}
