package dev.mpdiag.sample.load;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The built-in load generator: a fixed number of keep-alive HTTP/1.1 connections, one thread each, each sending
 * its next request as soon as the previous response is read (a closed loop, like wrk), for a warm-up and then a
 * measured window. With a rate (an open loop) each connection sends at fixed times instead, and its latencies
 * count from those times. Latencies go to one HdrHistogram per connection, merged at the end. Connection failures
 * are counted and the connection is reopened.
 */
public final class LoadGenerator implements LoadDriver {
    private static final long JOIN_GRACE_MILLIS = 15_000;

    @Override
    public LoadResult run(LoopbackTarget target, LoadSpec spec, WindowObserver observer) throws InterruptedException {
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(target.host()), target.port());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("bad host " + target.host(), e);
        }
        String hostHeader = target.host() + ":" + target.port();
        LoadWindow window = new LoadWindow();

        List<LoadConnection> connections = new ArrayList<>(spec.connections());
        List<Thread> threads = new ArrayList<>(spec.connections());
        for (int i = 0; i < spec.connections(); i++) {
            LoadConnection c = new LoadConnection(address, hostHeader, target.path(), window);
            Thread t = new Thread(c, "mpdiag-load-" + i);
            t.setDaemon(true);
            connections.add(c);
            threads.add(t);
        }
        double cpuStart;
        double cpuEnd;
        if (spec.rate() > 0) {
            // Connection i of c sends at start + (i + k c) / rate: together, rate requests a second, evenly spaced.
            long start = System.nanoTime() + 50_000_000L;
            long interval = (long) (spec.connections() * 1e9 / spec.rate());
            for (int i = 0; i < connections.size(); i++) {
                connections.get(i).paced(start + (long) (i * 1e9 / spec.rate()), interval);
            }
        }
        try {
            threads.forEach(Thread::start);
            sleepUntil(System.nanoTime() + spec.warmup().toNanos());
            observer.windowStarted();
            cpuStart = processCpuNanos();
            window.open(System.nanoTime(), spec.duration().toNanos());
            sleepUntil(window.endNanos());
            cpuEnd = processCpuNanos();
            observer.windowEnded();
        } finally {
            window.stop();
            connections.forEach(LoadConnection::closeQuietly);
            // A paced connection may be parked until its next send time, up to connections / rate seconds away.
            threads.forEach(LockSupport::unpark);
        }
        long joinDeadline = System.nanoTime() + JOIN_GRACE_MILLIS * 1_000_000;
        for (Thread t : threads) {
            long left = (joinDeadline - System.nanoTime()) / 1_000_000;
            t.join(Math.max(1, left));
            if (t.isAlive()) {
                // A connection that reopened just as the run stopped: close it again.
                connections.forEach(LoadConnection::closeQuietly);
            }
        }

        Histogram all = new Histogram(LoadConnection.HIGHEST_TRACKABLE_MICROS, 3);
        long errors = 0;
        Map<Integer, Long> statuses = new TreeMap<>();
        Map<String, Long> workers = new TreeMap<>();
        for (LoadConnection c : connections) {
            all.add(c.histogram);
            errors += c.errors();
            c.addStatusCounts(statuses);
            c.addWorkerCounts(workers);
        }
        long non2xx = 0;
        for (Map.Entry<Integer, Long> e : statuses.entrySet()) {
            if (e.getKey() < 200 || e.getKey() > 399) {
                non2xx += e.getValue();
            }
        }
        double seconds = spec.duration().toNanos() / 1e9;
        long requests = all.getTotalCount();
        double cpuPercent = Double.isNaN(cpuStart) ? Double.NaN : (cpuEnd - cpuStart) / spec.duration().toNanos() * 100.0;
        return new LoadResult("java", requests, seconds, requests / seconds,
                requests == 0 ? 0 : all.getMean() / 1000.0,
                micros(all, 50), micros(all, 90), micros(all, 99),
                requests == 0 ? 0 : all.getMaxValue() / 1000.0,
                errors, non2xx, statuses, workers, cpuPercent, spec.rate() > 0 ? spec.rate() : Double.NaN,
                micros(all, 99.9));
    }

    private static double micros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** CPU time of this whole JVM (all threads, GC and JIT included): the generator's real cost on the machine. */
    static double processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long t = os.getProcessCpuTime();
            if (t >= 0) {
                return t;
            }
        }
        return ProcessHandle.current().info().totalCpuDuration().map(d -> (double) d.toNanos()).orElse(Double.NaN);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, Math.min(left / 1_000_000, 200)));
        }
    }
}
