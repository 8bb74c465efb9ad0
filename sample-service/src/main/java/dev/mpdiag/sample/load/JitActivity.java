package dev.mpdiag.sample.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Total JIT compilation time of a local JVM, read with the JDK's {@code jstat -compiler PID} (the JVM's perf
 * counters). While it keeps growing the JVM is still compiling its hot paths and its throughput is not yet steady.
 */
final class JitActivity {
    private static final long JSTAT_TIMEOUT_SECONDS = 20;
    private final Path jstat;

    private JitActivity(Path jstat) {
        this.jstat = jstat;
    }

    /** jstat beside the given java, if this is a full JDK. */
    static JitActivity beside(Path java) {
        Path p = java.resolveSibling("jstat");
        return Files.isExecutable(p) ? new JitActivity(p) : null;
    }

    /** Seconds the JVM has spent compiling so far, or NaN when it cannot be read (gone, perf data off). */
    double compileSeconds(long pid) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(jstat.toString(), "-compiler", Long.toString(pid))
                    .redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(JSTAT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Double.NaN;
            }
            return p.exitValue() == 0 ? parse(out) : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** "Compiled Failed Invalid Time FailedType FailedMethod" header, then the values: Time is the 4th. */
    static double parse(String out) {
        String[] lines = out.strip().split("\n");
        if (lines.length < 2 || !lines[0].trim().startsWith("Compiled")) {
            return Double.NaN;
        }
        String[] f = lines[1].trim().split("\\s+");
        try {
            return f.length >= 4 ? Double.parseDouble(f[3]) : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
