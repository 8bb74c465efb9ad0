package dev.mpdiag.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mpdiag.engine.HeatMatrix;
import dev.mpdiag.engine.ProcessSummary;
import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.RecordingAnalyzer;
import dev.mpdiag.engine.Scope;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.export.CollapsedWriter;
import dev.mpdiag.export.PprofWriter;
import dev.mpdiag.export.SpeedscopeWriter;
import dev.mpdiag.report.FlameTree;
import dev.mpdiag.report.HeatmapJson;
import dev.mpdiag.report.HtmlReport;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `mpdiag flame`: one profile type of one or more recordings (merged) in a flame graph or exchange format. */
@Command(name = "flame", mixinStandardHelpOptions = true,
        description = "Writes a profile, merged over all FILEs, as collapsed stacks, an HTML flame graph, a sub-second"
                + " heatmap page, speedscope JSON or pprof.")
final class FlameCommand implements Callable<Integer> {
    enum Format { collapsed, html, heatmap, speedscope, pprof }

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "JFR recordings (.jfr).")
    List<Path> files;

    @Option(names = {"-t", "--type"}, defaultValue = "cpu", paramLabel = "TYPE",
            description = "Profile type: cpu, wall, alloc, lock, wait, native. Default: ${DEFAULT-VALUE}.")
    String type;

    @Option(names = {"-f", "--format"}, defaultValue = "collapsed", paramLabel = "FORMAT",
            description = "collapsed (Brendan Gregg's folded stacks), html, heatmap (self-contained page: a column per second,"
                    + " a row per --row-ms; drag a span to see its flame graph), speedscope, pprof (gzipped profile.proto)."
                    + " Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Output file; '-' or absent writes to stdout (not for pprof).")
    Path output;

    @Option(names = "--min-share", defaultValue = "0.0001", paramLabel = "SHARE",
            description = "HTML only: fold frames narrower than this share of the total into 'other'. Default: ${DEFAULT-VALUE}.")
    double minShare;

    @Option(names = "--row-ms", defaultValue = "20", paramLabel = "MS",
            description = "heatmap only: height of a row in milliseconds, a multiple of 20 dividing 1000. Default: ${DEFAULT-VALUE}.")
    int rowMillis;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        ProfileType t = ProfileType.parse(type); // an unknown type is a usage error (exit 2) in Main
        boolean stdout = output == null || output.toString().equals("-");
        if (stdout && format == Format.pprof) {
            throw new Main.UsageException("pprof is binary: give an output file with -o");
        }
        if (!HeatMatrix.validRowMillis(rowMillis)) {
            throw new Main.UsageException("--row-ms must be a multiple of 20 that divides 1000 (20, 40, 100, 200, 500,"
                    + " 1000), got " + rowMillis);
        }
        if (!stdout) {
            OutputFiles.checkWritable(output);
        }
        RecordingAnalyzer.Result r = Inputs.analyze(files, quiet, Scope.only(t).withTimes(format == Format.heatmap));
        Inputs.printWarnings(r);
        Summary s = r.merged();
        if (s.profileOrNull(t) == null) {
            System.err.println("mpdiag: warning: no " + t.id() + " samples in the input; the output is empty");
        }
        try (OutputStream raw = stdout ? System.out : Files.newOutputStream(output);
             OutputStream out = new BufferedOutputStream(raw, 1 << 16)) {
            switch (format) {
                case collapsed -> CollapsedWriter.write(s, t, out);
                case speedscope -> SpeedscopeWriter.write(s, t, title(), out);
                case pprof -> PprofWriter.write(s, t, out);
                case html -> out.write(HtmlReport.flamePage(title() + " (" + t.id() + ")", FlameTree.of(s, t), minShare)
                        .getBytes(StandardCharsets.UTF_8));
                case heatmap -> out.write(heatmapPage(r, t).getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        }
        if (!stdout) {
            System.err.println("mpdiag: wrote " + output);
        }
        return 0;
    }

    private String heatmapPage(RecordingAnalyzer.Result r, ProfileType t) throws IOException {
        List<HeatmapJson.Source> sources = new ArrayList<>();
        for (ProcessSummary p : r.processes()) {
            sources.add(new HeatmapJson.Source(p.id(), p.label(), List.of(p.summary())));
        }
        HeatmapJson heatmap = new HeatmapJson(t, sources, Long.MIN_VALUE / 4, Long.MAX_VALUE / 2, rowMillis);
        if (heatmap.merged() != null && heatmap.merged().truncated) {
            System.err.println("mpdiag: warning: the recording spans more than " + HeatMatrix.MAX_COLUMNS
                    + " s; the heatmap shows its last " + HeatMatrix.MAX_COLUMNS + " s");
        }
        // Made here, not held in a static: the class is initialized for every flame command, and making a
        // factory loads Jackson (about 15 ms at start) that only the heatmap needs.
        JsonFactory json = new JsonFactory();
        StringWriter matrix = new StringWriter();
        try (JsonGenerator g = json.createGenerator(matrix)) {
            heatmap.write(g, sources.size() > 1);
        }
        StringWriter samples = new StringWriter();
        try (JsonGenerator g = json.createGenerator(samples)) {
            heatmap.writeSamples(g, r.merged());
        }
        return HtmlReport.heatmapPage(title() + " (" + t.id() + " heatmap)", matrix.toString(), samples.toString());
    }

    private String title() {
        return files.size() == 1 ? files.get(0).getFileName().toString() : files.size() + " recordings";
    }
}
