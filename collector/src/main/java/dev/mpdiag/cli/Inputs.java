package dev.mpdiag.cli;

import dev.mpdiag.engine.InputException;
import dev.mpdiag.engine.RecordingAnalyzer;
import dev.mpdiag.engine.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Checks and analyzes the .jfr files a command names, with a progress bar when on a terminal. */
final class Inputs {
    private Inputs() {
    }

    static RecordingAnalyzer.Result analyze(List<Path> files, boolean quiet) throws IOException {
        // Reports do not draw heatmaps, so a big recording's sample times are not kept.
        return analyze(files, quiet, Scope.ALL.withTimes(false));
    }

    static RecordingAnalyzer.Result analyze(List<Path> files, boolean quiet, Scope scope) throws IOException {
        for (Path f : files) {
            if (!Files.exists(f)) {
                throw new InputException(f.toString(), "no such file");
            }
            if (Files.isDirectory(f)) {
                throw new InputException(f.toString(), "is a directory, not a .jfr file");
            }
            if (!Files.isReadable(f)) {
                throw new InputException(f.toString(), "not readable (permission denied)");
            }
        }
        ProgressBar bar = ProgressBar.forTerminal(quiet);
        try {
            return new RecordingAnalyzer(scope).analyzeFiles(files, bar);
        } finally {
            bar.finish();
        }
    }

    static void printWarnings(RecordingAnalyzer.Result r) {
        for (String w : r.warnings()) {
            System.err.println("mpdiag: warning: " + w);
        }
    }

}
