package dev.mpdiag.agent;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Child-JVM workload for CollectorFaultsIT: a "work" thread keeps a fixed pace of small operations (hashing a
 * fresh buffer, a JFR marker now and then) until the file until=PATH exists, and the main thread prints one
 * tick line every 500 ms: operations done and due, the agent's health from its MBean, the CPU time of the
 * agent's threads, and (every fourth tick, after System.gc()) the heap in use. The pace is light (about 1% of a
 * core), so a busy machine does not hold it back; an agent that blocked the host would.
 */
public final class FaultsApp {

    static final int OPS_PER_SECOND = 500;
    static final long TICK_MILLIS = 500;
    static final int GC_EVERY_TICKS = 4;
    private static final String[] HEALTH = {"SpoolBytes", "Drops", "DroppedBytes", "Rejected", "Retries", "Uploads",
        "Shipped"};

    private static volatile long done;
    private static volatile long sink;

    private FaultsApp() {
    }

    public static void main(String[] args) throws Exception {
        Path until = Path.of(args[0].substring("until=".length()));
        System.out.println("pid=" + ProcessHandle.current().pid());
        long start = System.nanoTime();
        Thread work = new Thread(() -> work(start), "work");
        work.setDaemon(true);
        work.start();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName agent = new ObjectName(AgentHealthMBean.OBJECT_NAME);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long tick = 0;
        while (!Files.exists(until)) {
            Thread.sleep(TICK_MILLIS);
            tick++;
            StringBuilder line = new StringBuilder("tick t=").append(System.currentTimeMillis())
                    .append(" done=").append(done)
                    .append(" due=").append((System.nanoTime() - start) * OPS_PER_SECOND / 1_000_000_000L);
            boolean registered = server.isRegistered(agent);
            for (String h : HEALTH) {
                line.append(' ').append(h).append('=').append(registered ? server.getAttribute(agent, h) : -1);
            }
            long agentCpu = 0;
            int agentThreads = 0;
            for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (t != null && t.getThreadName().startsWith("mpagent")) {
                    agentThreads++;
                    agentCpu += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
                }
            }
            line.append(" agentCpuNs=").append(agentCpu).append(" agentThreads=").append(agentThreads)
                    .append(" threads=").append(threads.getThreadCount());
            if (tick % GC_EVERY_TICKS == 0) {
                System.gc();
                Runtime rt = Runtime.getRuntime();
                line.append(" heapAfterGc=").append(rt.totalMemory() - rt.freeMemory());
            }
            System.out.println(line);
        }
        System.out.println("end done=" + done);
    }

    /** OPS_PER_SECOND operations a second on a fixed timeline: a late thread catches up, a blocked one falls behind. */
    private static void work(long start) {
        long n = 0;
        try {
            while (true) {
                long due = (System.nanoTime() - start) * OPS_PER_SECOND / 1_000_000_000L;
                while (n < due) {
                    byte[] buf = new byte[4096];
                    long h = n;
                    for (int i = 0; i < buf.length; i++) {
                        buf[i] = (byte) h;
                        h = h * 31 + buf[i];
                    }
                    sink = h;
                    if (n % 100 == 0) {
                        MarkerEvent.commit(n);
                    }
                    n++;
                    done = n;
                }
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
