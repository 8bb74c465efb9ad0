package dev.mpdiag.agent;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The agent's health counters; sent with every upload and readable over JMX. Thread-safe. */
final class Health implements AgentHealthMBean {

    private static final int MAX_ERROR_CHARS = 160;

    final AtomicLong shipped = new AtomicLong();
    final AtomicLong uploads = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong drops = new AtomicLong();
    final AtomicLong droppedBytes = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong spoolBytes = new AtomicLong();
    private volatile String lastError = "";
    // The agent's own cost (CostMeter), -1 until the first cut measured it.
    private volatile double cpuShare = -1;
    private volatile double cpuShareTotal = -1;
    private volatile long agentCpuNanos;
    private volatile long jfrCpuNanos;
    private volatile long shippedPerSecond;
    private volatile long processCpuMsPerSecond = -1;

    private final Identity identity;
    private final String collector;

    Health(Identity identity, String collector) {
        this.identity = identity;
        this.collector = collector;
    }

    void dropped(long bytes) {
        drops.incrementAndGet();
        droppedBytes.addAndGet(bytes);
    }

    /**
     * The last cut interval's cost: the agent's and JFR's threads' share of the process's CPU in it and since the
     * agent started (-1: unknown), their CPU since then, the bytes shipped per second in the interval, and the whole
     * process's CPU in it in milliseconds per second (-1: unknown): a large share of a near-idle process is small.
     */
    void cost(double share, double shareTotal, long agentCpu, long jfrCpu, long shippedRate, long processMsPerSecond) {
        cpuShare = share;
        processCpuMsPerSecond = processMsPerSecond;
        cpuShareTotal = shareTotal;
        agentCpuNanos = agentCpu;
        jfrCpuNanos = jfrCpu;
        shippedPerSecond = shippedRate;
    }

    /** Records a failure as one short line stamped with the time (UTC, seconds). */
    void error(String what) {
        String line = Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + what.replaceAll("\\p{Cntrl}", " ");
        lastError = line.length() <= MAX_ERROR_CHARS ? line : line.substring(0, MAX_ERROR_CHARS);
    }

    /** The X-Mpdiag-Health header value. */
    String toForm() {
        return "shipped=" + shipped.get()
                + "&uploads=" + uploads.get()
                + "&retries=" + retries.get()
                + "&drops=" + drops.get()
                + "&droppedBytes=" + droppedBytes.get()
                + "&rejected=" + rejected.get()
                + "&spoolBytes=" + spoolBytes.get()
                + "&lastError=" + URLEncoder.encode(lastError, StandardCharsets.UTF_8)
                + (cpuShare < 0 && cpuShareTotal < 0 ? "" : "&cpuShare=" + ratio(cpuShare) + "&cpuShareTotal=" + ratio(cpuShareTotal)
                        + "&agentCpuMs=" + agentCpuNanos / 1_000_000 + "&jfrCpuMs=" + jfrCpuNanos / 1_000_000
                        + "&shippedPerSecond=" + shippedPerSecond + "&processCpuMsPerSecond=" + processCpuMsPerSecond);
    }

    /** A share with 5 decimals, or -1; never in a locale's notation. */
    static String ratio(double share) {
        return share < 0 ? "-1" : String.format(Locale.ROOT, "%.5f", share);
    }

    @Override
    public long getShipped() {
        return shipped.get();
    }

    @Override
    public long getUploads() {
        return uploads.get();
    }

    @Override
    public long getRetries() {
        return retries.get();
    }

    @Override
    public long getDrops() {
        return drops.get();
    }

    @Override
    public long getDroppedBytes() {
        return droppedBytes.get();
    }

    @Override
    public long getRejected() {
        return rejected.get();
    }

    @Override
    public long getSpoolBytes() {
        return spoolBytes.get();
    }

    @Override
    public double getCpuShare() {
        return cpuShare;
    }

    @Override
    public double getCpuShareTotal() {
        return cpuShareTotal;
    }

    @Override
    public String getLastError() {
        return lastError;
    }

    @Override
    public String getCollector() {
        return collector;
    }

    @Override
    public String getService() {
        return identity.service;
    }

    @Override
    public String getProcessId() {
        return identity.processId();
    }

    @Override
    public String getProfile() {
        return identity.profile;
    }
}
