package dev.mpdiag.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time (user + system, all threads) of a process from /proc/PID/stat; -1 where /proc is absent. */
final class ProcCpu {
    /** USER_HZ: 100 on every Linux architecture the JDK runs on (getconf CLK_TCK). */
    private static final double TICKS_PER_SECOND = 100;

    private ProcCpu() {
    }

    static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces; the fields after its ')' are fixed: utime is 14th, stime 15th.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Microseconds in which some task on the machine waited for a CPU (Linux PSI, /proc/pressure/cpu "some"),
     * or -1: how contended the machine was, whoever contended.
     */
    static long pressureMicros() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/pressure/cpu"))) {
                if (line.startsWith("some ")) {
                    return Long.parseLong(line.substring(line.indexOf("total=") + 6).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // no PSI here
        }
        return -1;
    }
}
