package dev.mpdiag.sample.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the benchmark ran on, read from /proc: the numbers mean little without it. */
final class Machine {
    private Machine() {
    }

    /** Names the machine's online cores, not this JVM's share: under taskset the JVM sees only the cores it may use. */
    static String describe() {
        int online = onlineCores();
        int usable = Runtime.getRuntime().availableProcessors();
        String cores = online == usable || online <= 0 ? usable + (usable == 1 ? " core" : " cores")
                : online + " cores, this JVM may use " + usable;
        return String.format(Locale.ROOT, "%s (%s), %d GiB RAM, JDK %s", cores, cpuModel(), memoryGiB(), jdk());
    }

    static String cpuModel() {
        return field(Path.of("/proc/cpuinfo"), "model name", "unknown CPU");
    }

    /** This JVM's allowed cpus as the kernel lists them, such as "0-1" or "0". */
    static String allowedCpus() {
        return field(Path.of("/proc/self/status"), "Cpus_allowed_list:", "?");
    }

    static int onlineCores() {
        try {
            return (int) Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The value after the colon of the first line starting with {@code prefix}; {@code fallback} off Linux. */
    private static String field(Path file, String prefix, String fallback) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(prefix)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return fallback;
    }

    static long memoryGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return Math.round(kib / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    static String jdk() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }
}
