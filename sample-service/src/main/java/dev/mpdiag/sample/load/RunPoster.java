package dev.mpdiag.sample.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Records a load-test run in the mpdiag collector: {@code POST /api/v1/runs} with its name, service, time window,
 * labels (mode, ...) and figures (QPS, latency, processes, CPU per process), so the dashboard's Runs view can show
 * runs side by side and diff two of them.
 */
final class RunPoster {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One run as the collector takes it; {@code service} may be null. */
    record Run(String name, String service, long fromMillis, long toMillis, Map<String, String> labels,
               Map<String, Object> figures) {
    }

    private final URI endpoint;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private RunPoster(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** The collector's base URL (http://host:port, a trailing slash allowed); IllegalArgumentException when bad. */
    static RunPoster of(String collectorUrl) {
        URI base;
        try {
            base = new URI(collectorUrl.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--collector needs an http URL such as http://127.0.0.1:7070, got '"
                    + collectorUrl + "'");
        }
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException("--collector needs an http URL such as http://127.0.0.1:7070, got '"
                    + collectorUrl + "'");
        }
        String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
        return new RunPoster(base.resolve(path + "/api/v1/runs"));
    }

    URI endpoint() {
        return endpoint;
    }

    /** Posts the run; returns the id the collector gave it. IOException says why it was not recorded. */
    long post(Run run) throws IOException, InterruptedException {
        byte[] body = JSON.writeValueAsBytes(json(run));
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        // A collector started with --token; an environment variable keeps it off the command line.
        String token = System.getenv("MPDIAG_TOKEN");
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token.trim());
        }
        HttpRequest req = b.build();
        HttpResponse<String> res;
        try {
            res = client.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException("could not post the run to " + endpoint + ": " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        if (res.statusCode() / 100 != 2) {
            throw new IOException("the collector at " + endpoint + " refused the run (" + res.statusCode() + "): "
                    + abbreviate(res.body()));
        }
        try {
            JsonNode n = JSON.readTree(res.body());
            return n.path("id").asLong(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    static ObjectNode json(Run run) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", run.name());
        if (run.service() != null) {
            n.put("service", run.service());
        }
        n.put("from", run.fromMillis());
        n.put("to", run.toMillis());
        ObjectNode labels = n.putObject("labels");
        run.labels().forEach(labels::put);
        ObjectNode figures = n.putObject("figures");
        run.figures().forEach((k, v) -> {
            if (v instanceof Number num) {
                double d = num.doubleValue();
                if (Double.isFinite(d)) {
                    if (v instanceof Long || v instanceof Integer) {
                        figures.put(k, num.longValue());
                    } else {
                        figures.put(k, Math.round(d * 1000) / 1000.0);
                    }
                }
            } else if (v != null) {
                figures.put(k, v.toString());
            }
        });
        return n;
    }

    /** The figures every run has: throughput and latency of the load generator's measured window. */
    static Map<String, Object> loadFigures(LoadResult r) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("qps", r.qps());
        f.put("meanMs", r.meanMs());
        f.put("p50Ms", r.p50Ms());
        f.put("p90Ms", r.p90Ms());
        f.put("p99Ms", r.p99Ms());
        f.put("maxMs", r.maxMs());
        f.put("requests", r.requests());
        f.put("errors", r.errors());
        f.put("non2xx", r.non2xx());
        f.put("seconds", r.durationSeconds());
        f.put("loadgenCpu", r.loadgenCpuPercent());
        return f;
    }

    /** The agent option service=NAME, or null. */
    static String serviceOf(String agentOptions) {
        if (agentOptions == null) {
            return null;
        }
        for (String kv : agentOptions.split(",")) {
            if (kv.trim().startsWith("service=")) {
                String v = kv.trim().substring("service=".length()).trim();
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    /** "worker 0" -> "cpu.worker-0": the figure name of one process's CPU share. */
    static String cpuFigure(String role) {
        return "cpu." + role.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
    }

    private static String abbreviate(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }
}
