package dev.mpdiag.agent;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * What the agent costs the process it is a guest in, from CPU time: its own threads (mpagent-*) and JFR's
 * (named "JFR ..."), against the whole process's, sampled by the cutter once per interval.
 *
 * <p>The threads are read from /proc/self/task: JFR's stack sampler is a native thread that ThreadMXBean does not
 * list, and it is most of JFR's CPU. A thread's kind is read from its name once, when its id first shows; ids
 * that are gone are forgotten, so the map holds at most the live threads. Without /proc, ThreadMXBean's threads
 * are read instead (the sampler left out). Events written inside the application's own threads (allocation and
 * lock events, their stack walks) cost CPU that no thread of ours shows: bench/agent-overhead.sh measures that
 * per request. A thread's time can be read only while it lives, so one that ends between two samples takes its
 * last window's time with it; the threads measured here live as long as the recording. One instance serves one
 * thread (the cutter); never throws.
 */
final class CostMeter {

    static final String AGENT_PREFIX = "mpagent-";
    static final String JFR_PREFIX = "JFR ";
    private static final int OTHER = 0;
    private static final int AGENT = 1;
    private static final int JFR = 2;
    // /proc/<pid>/stat counts in clock ticks; USER_HZ is 100 on every Linux architecture Java runs on.
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** One thread of ours: its kind and its CPU time at the last sample. */
    private static final class Seen {
        final int kind;
        long cpuNanos;
        boolean live;

        Seen(int kind) {
            this.kind = kind;
        }
    }

    private final File taskDir;
    private final com.sun.management.OperatingSystemMXBean os;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<String, Seen> seen = new HashMap<>();
    private final byte[] buf = new byte[512];
    private final Health health;

    private long lastNanos;
    private long lastProcessCpu;
    private long lastShipped;
    private final long startProcessCpu;
    private long agentCpuTotal;
    private long jfrCpuTotal;

    // The last sample's window.
    private long agentCpu;
    private long jfrCpu;
    private long processCpu;
    private long window;
    private long shippedPerSecond;

    CostMeter(Health health) {
        this(health, "/proc/self/task");
    }

    /** {@code taskDir}: /proc/self/task; tests point it at a missing path to see the ThreadMXBean path. */
    CostMeter(Health health, String taskDir) {
        this.health = health;
        this.taskDir = new File(taskDir);
        OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        this.os = bean instanceof com.sun.management.OperatingSystemMXBean b ? b : null;
        this.lastNanos = System.nanoTime();
        this.startProcessCpu = processCpuNow();
        this.lastProcessCpu = startProcessCpu;
    }

    /** Measures the window since the last call, puts it in the health counters, and writes an mpdiag.AgentCost. */
    void sample() {
        try {
            long now = System.nanoTime();
            long[] delta = new long[3];
            if (taskDir.isDirectory()) {
                readProc(delta);
            } else {
                readMxBean(delta);
            }
            long process = processCpuNow();
            agentCpu = delta[AGENT];
            jfrCpu = delta[JFR];
            processCpu = process < 0 ? -1 : Math.max(0, process - lastProcessCpu);
            window = now - lastNanos;
            long shipped = health.shipped.get();
            shippedPerSecond = window <= 0 ? 0 : (long) ((shipped - lastShipped) * 1e9 / window);
            agentCpuTotal += agentCpu;
            jfrCpuTotal += jfrCpu;
            lastNanos = now;
            lastProcessCpu = process;
            lastShipped = shipped;
            health.cost(share(agentCpu + jfrCpu, processCpu),
                    share(agentCpuTotal + jfrCpuTotal, process < 0 ? -1 : process - startProcessCpu),
                    agentCpuTotal, jfrCpuTotal, shippedPerSecond,
                    processCpu < 0 || window <= 0 ? -1 : (long) (processCpu * 1e3 / window));
            AgentCostEvent e = new AgentCostEvent();
            if (e.isEnabled()) {
                e.cpuShare = share(agentCpu + jfrCpu, processCpu);
                e.agentCpu = agentCpu;
                e.jfrCpu = jfrCpu;
                e.processCpu = processCpu;
                e.interval = window;
                e.shippedPerSecond = shippedPerSecond;
                e.commit();
            }
        } catch (Throwable t) {
            // The cutter's thread: a meter that fails must not cost the cut.
            AgentLog.debug("cost sample failed: " + AgentLog.describe(t));
        }
    }

    /** ours / process, or -1 when the process's CPU is unknown or nothing ran. */
    static double share(long ours, long process) {
        return process <= 0 ? -1 : Math.min(1.0, (double) ours / process);
    }

    long agentCpu() {
        return agentCpu;
    }

    long jfrCpu() {
        return jfrCpu;
    }

    long window() {
        return window;
    }

    long processCpu() {
        return processCpu;
    }

    private long processCpuNow() {
        long v = os == null ? -1 : os.getProcessCpuTime();
        return v < 0 ? -1 : v;
    }

    private void readProc(long[] delta) {
        String[] tids = taskDir.list();
        if (tids == null) {
            return;
        }
        for (Seen s : seen.values()) {
            s.live = false;
        }
        for (String tid : tids) {
            Seen s = seen.get(tid);
            if (s == null) {
                s = new Seen(kind(readText(tid, "comm")));
                seen.put(tid, s);
            }
            s.live = true;
            if (s.kind != OTHER) {
                long cpu = threadCpu(tid);
                if (cpu >= 0) {
                    // A thread first seen now counts its whole time: it started in this window, or it is one of
                    // JFR's threads started with the recording, before the first sample.
                    delta[s.kind] += Math.max(0, cpu - s.cpuNanos);
                    s.cpuNanos = cpu;
                }
            }
        }
        for (Iterator<Seen> it = seen.values().iterator(); it.hasNext(); ) {
            if (!it.next().live) {
                it.remove();
            }
        }
    }

    private void readMxBean(long[] delta) {
        if (!threads.isThreadCpuTimeSupported()) {
            return;
        }
        for (Seen s : seen.values()) {
            s.live = false;
        }
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            int kind = kind(info.getThreadName());
            if (kind == OTHER) {
                continue;
            }
            String key = Long.toString(info.getThreadId());
            Seen s = seen.computeIfAbsent(key, k -> new Seen(kind));
            s.live = true;
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                delta[s.kind] += Math.max(0, cpu - s.cpuNanos);
                s.cpuNanos = cpu;
            }
        }
        seen.values().removeIf(s -> !s.live);
    }

    /** comm is cut to 15 characters ("JFR Thread Samp"); both prefixes fit. */
    static int kind(String name) {
        if (name == null) {
            return OTHER;
        }
        return name.startsWith(AGENT_PREFIX) ? AGENT : name.startsWith(JFR_PREFIX) ? JFR : OTHER;
    }

    /** The thread's CPU time in ns: schedstat's run time where the kernel keeps it, else stat's ticks; -1 if gone. */
    private long threadCpu(String tid) {
        String sched = readText(tid, "schedstat");
        if (sched != null) {
            int sp = sched.indexOf(' ');
            try {
                return Long.parseLong(sp < 0 ? sched.trim() : sched.substring(0, sp));
            } catch (NumberFormatException e) {
                // fall back to stat
            }
        }
        String stat = readText(tid, "stat");
        if (stat == null) {
            return -1;
        }
        // The name in parentheses may hold spaces; the fields after it are fixed: utime is the 14th, stime the 15th.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        try {
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private String readText(String tid, String file) {
        try (FileInputStream in = new FileInputStream(new File(new File(taskDir, tid), file))) {
            int n = 0;
            int r;
            while (n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0) {
                n += r;
            }
            while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ')) {
                n--;
            }
            return new String(buf, 0, n, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null; // the thread ended between the listing and the read
        }
    }
}
