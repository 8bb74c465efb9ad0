package dev.mpdiag.server.api;

import dev.mpdiag.engine.Series;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.server.ClusterView;
import dev.mpdiag.server.Ingestor;
import dev.mpdiag.server.store.ProcessMeta;
import dev.mpdiag.server.store.ProcessStore;
import dev.mpdiag.server.store.StoredEntry;
import dev.mpdiag.server.store.Store;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * GET /metrics in the Prometheus text format: each process's latest figures as gauges labelled by service,
 * process and its labels, plus the collector's own ingest counters, for an existing Prometheus to scrape.
 */
public final class MetricsApi {
    /** Series name, metric name, help, factor from the series' unit to the metric's. */
    private record Gauge(String series, String metric, String help, double factor) {
    }

    private static final Gauge[] GAUGES = {
        new Gauge("cpu.jvm", "mpdiag_process_cpu_ratio", "CPU used by the JVM, share of the machine (0-1)", 0.01),
        new Gauge("alloc.rate", "mpdiag_process_alloc_bytes_per_second", "Allocation rate (sampled estimate)", 1),
        new Gauge("lock.blocked", "mpdiag_process_lock_blocked_seconds_per_second",
                "Time threads spent blocked on locks, per second", 1e-9),
        new Gauge("heap.afterGc", "mpdiag_process_heap_after_gc_bytes", "Heap used after the last GC", 1),
        new Gauge("threads.active", "mpdiag_process_threads", "Live Java threads", 1),
        new Gauge("proc.fdTotal", "mpdiag_process_open_fds", "Open file descriptors", 1),
        new Gauge("proc.rssBytes", "mpdiag_process_rss_bytes", "Resident set size", 1),
        new Gauge("proc.ctxVoluntary", "mpdiag_process_context_switches_voluntary_total",
                "Voluntary context switches of the process's live threads (counter)", 1),
        new Gauge("agent.cpuShare", "mpdiag_agent_cpu_ratio",
                "CPU of mpagent's and JFR's threads over the process's CPU in the last cut interval (0-1); events"
                        + " written in the application's threads are not in it", 0.01),
        new Gauge("agent.shippedPerSecond", "mpdiag_agent_shipped_bytes_per_second",
                "Bytes the agent shipped per second in the last cut interval", 1),
        new Gauge("proc.ctxInvoluntary", "mpdiag_process_context_switches_involuntary_total",
                "Involuntary context switches of the process's live threads (counter)", 1),
    };

    private final Store store;
    private final Ingestor ingestor;
    private final ClusterView cluster;

    public MetricsApi(Store store, Ingestor ingestor) {
        this(store, ingestor, null);
    }

    /**
     * In a cluster, each member reports the processes it answers for now, so a Prometheus scraping every member
     * sees each process once (a member also keeps data of partitions it owned before).
     */
    public MetricsApi(Store store, Ingestor ingestor, ClusterView cluster) {
        this.store = store;
        this.ingestor = ingestor;
        this.cluster = cluster;
    }

    private java.util.List<ProcessStore> processes() {
        java.util.List<ProcessStore> all = store.all();
        if (cluster != null) {
            all.removeIf(p -> !cluster.serves(p.id()));
        }
        return all;
    }

    public void metrics(Context ctx) throws IOException {
        Params q = Params.of(ctx);
        q.only();
        long now = System.currentTimeMillis();
        StringBuilder b = new StringBuilder(4096);
        Map<ProcessStore, Summary> latest = new java.util.LinkedHashMap<>();
        for (ProcessStore p : processes()) {
            StoredEntry e = p.latest();
            if (e != null && !ProcessMeta.UPLOAD.equals(p.meta().kind)) {
                latest.put(p, store.cache.get(p, e));
            }
        }
        for (Gauge g : GAUGES) {
            boolean header = false;
            for (Map.Entry<ProcessStore, Summary> e : latest.entrySet()) {
                Series s = e.getValue().seriesOrNull(g.series);
                if (s == null || s.isEmpty()) {
                    continue;
                }
                if (!header) {
                    b.append("# HELP ").append(g.metric).append(' ').append(g.help).append('\n');
                    b.append("# TYPE ").append(g.metric).append(g.metric.endsWith("_total") ? " counter\n" : " gauge\n");
                    header = true;
                }
                b.append(g.metric).append(labels(e.getKey().meta(), now)).append(' ')
                        .append(format(current(s) * g.factor)).append('\n');
            }
        }
        Map<String, Integer> byStatus = new TreeMap<>();
        for (ProcessStore p : processes()) {
            byStatus.merge(ProcessesApi.status(p.meta(), now), 1, Integer::sum);
        }
        b.append("# HELP mpdiag_collector_processes Processes known to the collector, by status\n");
        b.append("# TYPE mpdiag_collector_processes gauge\n");
        for (Map.Entry<String, Integer> e : byStatus.entrySet()) {
            b.append("mpdiag_collector_processes{status=\"").append(e.getKey()).append("\"} ").append(e.getValue()).append('\n');
        }
        counter(b, "mpdiag_collector_uploads_total", "Uploads stored", ingestor.uploads.get());
        counter(b, "mpdiag_collector_ingested_bytes_total", "JFR bytes stored", ingestor.bytes.get());
        counter(b, "mpdiag_collector_duplicate_uploads_total", "Uploads already stored (agent retries)", ingestor.duplicates.get());
        counter(b, "mpdiag_collector_rejected_uploads_total", "Uploads refused as not JFR or damaged", ingestor.rejected.get());
        counter(b, "mpdiag_collector_shed_uploads_total", "Uploads answered 429 (busy) for the agent to retry later",
                ingestor.admission.shed.get());
        counter(b, "mpdiag_collector_summarize_seconds_total", "Time spent summarizing chunks",
                ingestor.summarizeNanos.get() / 1e9);
        if (cluster != null) {
            ClusterView.Status c = cluster.status();
            gauge(b, "mpdiag_cluster_partitions_owned", "Partitions of the uploads topic this member owns",
                    c.ownedPartitions());
            gauge(b, "mpdiag_cluster_partitions_replaying", "Owned partitions still being rebuilt from the topic "
                    + "(their processes are not answered for until done)", c.replayingPartitions());
            counter(b, "mpdiag_cluster_records_stored_total", "Upload records read from the topic and stored "
                    + "(repeats included, dropped by the store)", c.recordsStored());
            counter(b, "mpdiag_cluster_records_skipped_total", "Upload records skipped as unreadable",
                    c.recordsSkipped());
        }
        gauge(b, "mpdiag_collector_store_bytes", "Bytes of JFR chunks in the data directory", store.totalBytes());
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(b.toString());
    }

    /** A gauge's last value; for a per-second total, the average over the upload's seconds. */
    private static double current(Series s) {
        if (s.kind == Series.Kind.GAUGE) {
            return s.last();
        }
        double sum = 0;
        for (double v : s.points().values()) {
            sum += v;
        }
        double seconds = (s.points().lastKey() - s.points().firstKey()) / 1000.0 + 1;
        return sum / seconds;
    }

    private static void gauge(StringBuilder b, String name, String help, double value) {
        single(b, name, help, "gauge", value);
    }

    private static void counter(StringBuilder b, String name, String help, double value) {
        single(b, name, help, "counter", value);
    }

    /** A metric without labels: HELP, TYPE and its one value. */
    private static void single(StringBuilder b, String name, String help, String type, double value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        b.append(name).append(' ').append(format(value)).append('\n');
    }

    private static String labels(ProcessMeta m, long now) {
        StringBuilder b = new StringBuilder("{");
        label(b, "service", m.service);
        label(b, "process", m.id);
        label(b, "host", m.host);
        label(b, "pid", Long.toString(m.pid));
        label(b, "status", ProcessesApi.status(m, now));
        for (Map.Entry<String, String> e : m.labels.entrySet()) {
            String k = e.getKey().replaceAll("[^A-Za-z0-9_]", "_");
            label(b, "label_" + k, e.getValue());
        }
        b.setLength(b.length() - 1);
        return b.append('}').toString();
    }

    private static void label(StringBuilder b, String name, String value) {
        b.append(name).append("=\"").append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                .append("\",");
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
