package dev.mpdiag.cli;

import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.RecordingAnalyzer;
import dev.mpdiag.engine.Scope;
import dev.mpdiag.report.DiffTable;
import dev.mpdiag.report.FlameTree;
import dev.mpdiag.report.HtmlReport;
import dev.mpdiag.report.Units;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `mpdiag diff`: which frames grew or shrank between two runs, each side normalized by its own total. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compares a profile type between BASE recordings and the --against recordings.")
final class DiffCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "BASE", description = "Baseline recordings (.jfr).")
    List<Path> base;

    @Option(names = "--against", arity = "1..*", required = true, paramLabel = "NEW", description = "Recordings to compare with the baseline.")
    List<Path> against;

    @Option(names = {"-t", "--type"}, defaultValue = "cpu", paramLabel = "TYPE",
            description = "Profile type: cpu, wall, alloc, lock, wait, native. Default: ${DEFAULT-VALUE}.")
    String type;

    @Option(names = "--html", paramLabel = "OUT", description = "Also write a differential flame graph (red grew, blue shrank).")
    Path html;

    @Option(names = {"-n", "--limit"}, defaultValue = "25", paramLabel = "N", description = "Rows in the table. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        ProfileType t = ProfileType.parse(type); // an unknown type is a usage error (exit 2) in Main
        if (limit <= 0) {
            throw new Main.UsageException("--limit must be positive");
        }
        OutputFiles.checkWritable(html);
        RecordingAnalyzer.Result before = Inputs.analyze(base, quiet, Scope.only(t));
        RecordingAnalyzer.Result after = Inputs.analyze(against, quiet, Scope.only(t));
        Inputs.printWarnings(before);
        Inputs.printWarnings(after);
        var b = before.merged().profileOrNull(t);
        var a = after.merged().profileOrNull(t);
        System.out.printf(Locale.ROOT, "%s profile: base %s, new %s%n", t.id(),
                b == null ? "empty" : Units.weight(b.totalWeight(), t.unit), a == null ? "empty" : Units.weight(a.totalWeight(), t.unit));
        System.out.printf(Locale.ROOT, "%8s %8s %8s   %8s %8s %8s   %s%n", "base", "new", "delta", "base", "new", "delta", "");
        System.out.printf(Locale.ROOT, "%8s %8s %8s   %8s %8s %8s   %s%n", "self", "self", "self", "total", "total", "total", "frame");
        for (DiffTable.Row r : DiffTable.of(before.merged(), after.merged(), t, limit)) {
            System.out.printf(Locale.ROOT, "%8s %8s %8s   %8s %8s %8s   %s%n", Units.percent(r.beforeSelf()),
                    Units.percent(r.afterSelf()), signed(r.deltaSelf()), Units.percent(r.beforeTotal()),
                    Units.percent(r.afterTotal()), signed(r.deltaTotal()), r.name());
        }
        if (html != null) {
            String page = HtmlReport.flamePage("diff (" + t.id() + "): " + names(base) + " vs " + names(against),
                    FlameTree.diff(before.merged(), after.merged(), t), 0.0001);
            Files.writeString(html, page, StandardCharsets.UTF_8);
            System.err.println("mpdiag: wrote " + html);
        }
        return 0;
    }

    private static String signed(double share) {
        return String.format(Locale.ROOT, "%+.1f%%", share * 100);
    }

    private static String names(List<Path> files) {
        return files.size() == 1 ? files.get(0).getFileName().toString() : files.size() + " files";
    }
}
