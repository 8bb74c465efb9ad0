package dev.mpdiag.sample.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** CPU time of processes from /proc/&lt;pid&gt;/stat, in clock ticks, and CPU shares from tick deltas. */
public final class ProcCpu {
    /** USER_HZ: /proc reports times in these ticks; 100 on every mainstream Linux architecture. */
    static final long TICKS_PER_SECOND = clockTicks();

    // Fields counted from the one after the ")" that ends the command name (which may contain spaces):
    // index 0 is field 3 (state), so utime (field 14) is index 11.
    private static final int UTIME = 11;
    private static final int STIME = 12;
    private static final int CUTIME = 13;
    private static final int CSTIME = 14;

    private ProcCpu() {
    }

    /** utime + stime of a process, or -1 when it is gone or /proc is not there. */
    public static long ticks(long pid) {
        String[] f = fields(Path.of("/proc", Long.toString(pid), "stat"));
        return f == null ? -1 : Long.parseLong(f[UTIME]) + Long.parseLong(f[STIME]);
    }

    /** CPU of this process's children that have exited and been reaped (cutime + cstime), or -1. */
    public static long reapedChildrenTicks() {
        String[] f = fields(Path.of("/proc/self/stat"));
        return f == null ? -1 : Long.parseLong(f[CUTIME]) + Long.parseLong(f[CSTIME]);
    }

    /** Busy and total ticks of the whole machine (the "cpu" line of /proc/stat), or null. */
    public static long[] machineTicks() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = first.trim().split("\\s+");
            long total = 0;
            long idle = 0;
            // user nice system idle iowait irq softirq steal (guest times are already inside user)
            for (int i = 1; i <= 8 && i < f.length; i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i == 4 || i == 5) {
                    idle += v;
                }
            }
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Ticks over a wall interval as a percentage of one core (200 = two cores fully busy). */
    public static double percentOfOneCore(long ticks, long wallNanos) {
        if (wallNanos <= 0) {
            return Double.NaN;
        }
        return ticks * (1e9 / TICKS_PER_SECOND) / wallNanos * 100.0;
    }

    private static String[] fields(Path stat) {
        try {
            String s = Files.readString(stat);
            int close = s.lastIndexOf(')');
            if (close < 0) {
                return null;
            }
            return s.substring(close + 2).trim().split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                long v = Long.parseLong(out);
                if (v > 0) {
                    return v;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall back below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
