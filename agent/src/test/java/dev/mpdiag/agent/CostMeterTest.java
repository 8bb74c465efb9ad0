package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The cost meter on this very JVM: a thread named like the agent's burns a known amount of its own CPU time (so
 * the amount does not depend on the machine's speed), and the meter must find that time in its window, no more
 * than the process's, and none of it once the thread has stopped.
 */
class CostMeterTest {

    static final long BURN_NANOS = 300_000_000L;

    @Test
    void findsTheAgentThreadsCpuInItsWindowFromProc() throws Exception {
        Health h = health();
        measuresABurn(h, new CostMeter(h));
    }

    @Test
    void findsItWithThreadMxBeanWhereThereIsNoProc() throws Exception {
        Health h = health();
        measuresABurn(h, new CostMeter(h, "/nonexistent/task"));
    }

    @Test
    void classifiesThreadsByNameAsProcCutsThem() {
        assertEquals(1, CostMeter.kind("mpagent-cutter"));
        assertEquals(1, CostMeter.kind("mpagent-http-wa"));
        assertEquals(2, CostMeter.kind("JFR Recorder Th"));
        assertEquals(2, CostMeter.kind("JFR Thread Samp"));
        assertEquals(0, CostMeter.kind("JFRish worker"));
        assertEquals(0, CostMeter.kind("main"));
        assertEquals(0, CostMeter.kind(null));
    }

    @Test
    void theShareIsUnknownWithoutProcessCpuAndNeverAboveOne() {
        assertEquals(-1, CostMeter.share(5, 0));
        assertEquals(-1, CostMeter.share(5, -1));
        assertEquals(0.25, CostMeter.share(1, 4));
        assertEquals(1.0, CostMeter.share(5, 4));
    }

    private static void measuresABurn(Health health, CostMeter meter) throws Exception {
        meter.sample(); // the window starts here
        CountDownLatch burned = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // A thread's time is read while it lives, so the burner waits to be sampled before it ends.
        Thread burner = new Thread(() -> {
            burn();
            burned.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mpagent-test-burner");
        burner.start();
        burned.await();
        meter.sample();
        release.countDown();
        burner.join();
        long agent = meter.agentCpu();
        assertTrue(agent >= BURN_NANOS * 9 / 10, "agent threads' CPU " + agent + " ns, burned " + BURN_NANOS);
        assertTrue(meter.processCpu() >= agent, "process CPU " + meter.processCpu() + " < agent's " + agent);
        Map<String, String> form = parse(health.toForm());
        double share = Double.parseDouble(form.get("cpuShare"));
        assertTrue(share > 0 && share <= 1, "cpuShare " + share);
        assertTrue(Long.parseLong(form.get("agentCpuMs")) >= BURN_NANOS * 9 / 10 / 1_000_000, form.toString());
        // The burner ran in the window, so the process used at least its share of the window per second.
        long window = meter.window();
        long rate = Long.parseLong(form.get("processCpuMsPerSecond"));
        assertTrue(rate >= agent * 1000 / window * 9 / 10 && rate <= 1000L * Runtime.getRuntime().availableProcessors() + 100,
                rate + " ms/s over a window of " + window + " ns with " + agent + " ns burned: " + form);
        // The burner is gone: the next window holds none of its time.
        meter.sample();
        assertTrue(meter.agentCpu() < BURN_NANOS / 10, "after the burner ended: " + meter.agentCpu() + " ns");
    }

    private static Health health() {
        return new Health(new Identity("cost-test", "default", Map.of()), "http://127.0.0.1:1");
    }

    /** Spins until this thread has used BURN_NANOS of CPU, however long that takes on this machine. */
    private static void burn() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long start = mx.getCurrentThreadCpuTime();
        long x = 0;
        while (mx.getCurrentThreadCpuTime() - start < BURN_NANOS) {
            for (int i = 0; i < 100_000; i++) {
                x += i * 31L ^ x;
            }
        }
        if (x == 42) {
            System.out.println(x);
        }
    }

    private static Map<String, String> parse(String form) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String kv : List.of(form.split("&"))) {
            int eq = kv.indexOf('=');
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }
}
