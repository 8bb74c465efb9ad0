package dev.mpdiag.sample.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The CPU ids this process may run on, from the kernel's list syntax ("0-3,8,10-11"). Pinning worker i to
 * "i mod ncpu" must use these ids: in a container or under taskset they need not start at 0.
 */
final class CpuList {
    private CpuList() {
    }

    static int[] allowedCpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    int[] cpus = parse(line.substring(line.indexOf(':') + 1));
                    if (cpus.length > 0) {
                        return cpus;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unexpected format: fall back to 0..n-1
        }
        int n = Runtime.getRuntime().availableProcessors();
        int[] cpus = new int[n];
        Arrays.setAll(cpus, i -> i);
        return cpus;
    }

    /** Parses "0-3,8,10-11"; throws NumberFormatException on anything else. */
    static int[] parse(String list) {
        int[] cpus = new int[16];
        int n = 0;
        for (String part : list.trim().split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int dash = part.indexOf('-');
            int from = Integer.parseInt(part.substring(0, dash < 0 ? part.length() : dash).trim());
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).trim());
            for (int cpu = from; cpu <= to; cpu++) {
                if (n == cpus.length) {
                    cpus = Arrays.copyOf(cpus, n * 2);
                }
                cpus[n++] = cpu;
            }
        }
        return Arrays.copyOf(cpus, n);
    }
}
