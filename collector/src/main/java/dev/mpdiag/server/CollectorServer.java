package dev.mpdiag.server;

import dev.mpdiag.checks.Limits;
import dev.mpdiag.cluster.ClusterNode;
import dev.mpdiag.cluster.ClusterOptions;
import dev.mpdiag.server.api.ChecksApi;
import dev.mpdiag.server.api.ClusterDataApi;
import dev.mpdiag.server.api.ClusterRouting;
import dev.mpdiag.server.api.HeatmapApi;
import dev.mpdiag.server.api.IngestApi;
import dev.mpdiag.server.api.LocksApi;
import dev.mpdiag.server.api.MetricsApi;
import dev.mpdiag.server.api.PeerMembers;
import dev.mpdiag.server.api.PeerQueries;
import dev.mpdiag.server.api.ProcessesApi;
import dev.mpdiag.server.api.ProfileApi;
import dev.mpdiag.server.api.Replies;
import dev.mpdiag.server.api.RulesApi;
import dev.mpdiag.server.api.RunsApi;
import dev.mpdiag.server.api.SeriesApi;
import dev.mpdiag.server.api.UploadsApi;
import dev.mpdiag.server.mcp.McpEndpoint;
import dev.mpdiag.server.query.Query;
import dev.mpdiag.server.store.Retention;
import dev.mpdiag.server.store.RunStore;
import dev.mpdiag.server.store.Store;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;

/** The collector: ingest, durable store, JSON API and the dashboard's static files, on one Javalin server. */
public final class CollectorServer implements AutoCloseable {
    /** How the collector is set up (the serve command's options). */
    public record Config(String host, int port, Path data, long maxUpload, long retentionMillis, long retentionBytes,
            long cacheBytes, Limits limits, AccessToken token, ClusterOptions cluster, ServerTls tls) {
        public Config(String host, int port, Path data, long maxUpload, long retentionMillis, long retentionBytes,
                long cacheBytes, Limits limits, AccessToken token) {
            this(host, port, data, maxUpload, retentionMillis, retentionBytes, cacheBytes, limits, token, null, null);
        }

        public Config(String host, int port, Path data, long maxUpload, long retentionMillis, long retentionBytes,
                long cacheBytes) {
            this(host, port, data, maxUpload, retentionMillis, retentionBytes, cacheBytes, Limits.defaults(), null);
        }

        /** The same collector with every ingest and API call needing {@code token} (null: none). */
        public Config withToken(AccessToken token) {
            return new Config(host, port, data, maxUpload, retentionMillis, retentionBytes, cacheBytes, limits, token,
                    cluster, tls);
        }

        /** The same collector serving HTTPS only, with this identity (null: plain HTTP). */
        public Config withTls(ServerTls tls) {
            return new Config(host, port, data, maxUpload, retentionMillis, retentionBytes, cacheBytes, limits, token,
                    cluster, tls);
        }

        /** The same collector as a member of a cluster (null: on its own). */
        public Config withCluster(ClusterOptions cluster) {
            return new Config(host, port, data, maxUpload, retentionMillis, retentionBytes, cacheBytes, limits, token,
                    cluster, tls);
        }
    }

    static final List<String> ENDPOINTS = List.of(
            "POST /api/v1/ingest", "GET /api/v1/processes", "GET /api/v1/flamegraph", "GET /api/v1/heatmap", "GET /api/v1/diff",
            "GET /api/v1/series", "GET /api/v1/locks", "GET /api/v1/checks", "GET /api/v1/rules", "GET /api/v1/export/collapsed",
            "GET /api/v1/export/speedscope", "GET /api/v1/export/jfr", "POST /api/v1/uploads",
            "GET /api/v1/runs", "POST /api/v1/runs", "GET /metrics", "POST /mcp");

    /** The endpoints that answer about processes: in a cluster, the member that owns them answers (ClusterRouting). */
    static final List<String> QUERY_PATHS = List.of("/api/v1/flamegraph", "/api/v1/heatmap", "/api/v1/diff",
            "/api/v1/export/*", "/api/v1/series", "/api/v1/locks", "/api/v1/rules", "/api/v1/checks");

    /**
     * How often changed process.json files are written. Every process changes with each of its uploads, so at a
     * 1 s period the collector rewrote one per upload (5.4% of its CPU at 768 agents, bench/soak-load.sh with
     * async-profiler); at 30 s, one per process per 30 s. A crash loses at most that much of health and last-seen
     * times, which the next upload brings again; an agent's final upload (exited) is written at once.
     */
    static final long META_FLUSH_SECONDS = 30;

    private final Config config;
    private final Consumer<String> log;
    private final Store store;
    private final Ingestor ingestor;
    private final Retention retention;
    private ScheduledExecutorService housekeeping;
    private Javalin app;
    private ClusterNode cluster;

    private CollectorServer(Config config, Consumer<String> log, Store store, Ingestor ingestor) {
        this.config = config;
        this.log = log;
        this.store = store;
        this.ingestor = ingestor;
        this.retention = new Retention(store, config.retentionMillis, config.retentionBytes);
    }

    /** Loads the data directory and starts serving; throws when the port cannot be bound. */
    public static CollectorServer start(Config config, Consumer<String> log) throws IOException {
        // Jetty and Javalin log every start at INFO; the collector prints its own one-line status instead.
        // Kafka's clients log their whole configuration at INFO and every failed reconnect at WARN (once a second
        // while a broker is away); what matters of that reaches the agents as 503 and the collector's own lines.
        for (String[] logger : new String[][] {{"org.eclipse.jetty", "warn"}, {"io.javalin", "warn"},
                {"org.apache.kafka", "error"},
                // It logged a refused TLS handshake at ERROR (seen in ClusterTlsIT; that it repeats on each
                // reconnect is inferred); the collector says it once itself (serve's join error, the agents' 503).
                {"org.apache.kafka.clients.NetworkClient", "off"}}) {
            if (System.getProperty("org.slf4j.simpleLogger.log." + logger[0]) == null) {
                System.setProperty("org.slf4j.simpleLogger.log." + logger[0], logger[1]);
            }
        }
        Files.createDirectories(config.data);
        Store store = Store.open(config.data, cacheBytes(config.cacheBytes, Runtime.getRuntime().maxMemory(), log), log);
        RunStore runs = RunStore.open(store.root(), log);
        CollectorServer s = new CollectorServer(config, log, store, new Ingestor(store));
        try {
            if (config.cluster != null) {
                s.cluster = ClusterNode.join(config.cluster, s.ingestor, config.data, config.maxUpload,
                        config.retentionMillis, config.retentionBytes, log);
            }
            s.serve(runs);
        } catch (IOException | RuntimeException | Error e) {
            s.close();
            throw e;
        } catch (Exception e) {
            s.close();
            throw new IllegalStateException("could not join the cluster at " + config.cluster.bootstrap() + ": " + e, e);
        }
        return s;
    }

    private void serve(RunStore runs) throws IOException {
        String token = config.token == null ? null : config.token.value();
        PeerQueries peers = cluster == null ? null : new PeerQueries(cluster, token,
                config.cluster.tlsCa() == null ? null : ServerTls.trusting(config.cluster.tlsCa(), "--tls-ca"));
        Query query = new Query(store.cache, cluster == null ? null : new PeerMembers(cluster, peers));
        IngestApi ingest = new IngestApi(cluster != null ? cluster.sink() : new StoreSink(ingestor), config.maxUpload);
        ProcessesApi processes = new ProcessesApi(store, cluster, peers);
        ProfileApi profiles = new ProfileApi(store, query);
        HeatmapApi heatmaps = new HeatmapApi(store, query);
        SeriesApi series = new SeriesApi(store, query);
        LocksApi locks = new LocksApi(store, query);
        RulesApi rules = new RulesApi(store);
        UploadsApi uploads = new UploadsApi(ingestor, config.maxUpload);
        RunsApi runsApi = new RunsApi(runs, store);
        MetricsApi metrics = new MetricsApi(store, ingestor, cluster);
        ChecksApi checks = new ChecksApi(store, query, config.limits);
        McpEndpoint mcp = McpEndpoint.of(processes, checks, profiles, series, locks, rules, version(), log);
        Path uploadTmp = Files.createDirectories(store.root().resolve("tmp"));
        app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.http.prefer405over404 = true;
            c.http.maxRequestSize = config.maxUpload;
            c.jetty.multipartConfig.cacheDirectory(uploadTmp.toString());
            c.jetty.multipartConfig.maxFileSize(config.maxUpload, SizeUnit.BYTES);
            c.jetty.multipartConfig.maxTotalRequestSize(config.maxUpload * 8, SizeUnit.BYTES);
            c.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            if (config.tls != null) {
                // HTTPS in place of HTTP on the same host and port: a collector given a certificate never
                // answers in the clear, so a token cannot leak over a plain connection by mistake.
                c.jetty.addConnector((server, http) -> {
                    HttpConfiguration https = new HttpConfiguration(http);
                    SecureRequestCustomizer secure = new SecureRequestCustomizer();
                    secure.setSniHostCheck(false); // clients check the name; agents often dial an IP address
                    https.addCustomizer(secure);
                    ServerConnector connector = new ServerConnector(server,
                            new SslConnectionFactory(config.tls.contextFactory(), "http/1.1"),
                            new HttpConnectionFactory(https));
                    connector.setHost(config.host);
                    connector.setPort(config.port);
                    return connector;
                });
            }
            c.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/web";
                sf.location = Location.CLASSPATH;
            });
            // The dashboard's chart library (uPlot) from its WebJar: /webjars/uplot/VERSION/dist/...
            c.staticFiles.enableWebjars();
            if (config.token != null) {
                c.routes.before("/api/*", config.token);
                c.routes.before("/metrics", config.token);
                c.routes.before("/mcp", config.token);
            }
            if (cluster != null) {
                ClusterRouting routing = new ClusterRouting(cluster, peers);
                for (String path : QUERY_PATHS) {
                    c.routes.before(path, routing::route);
                }
                ClusterDataApi data = new ClusterDataApi(store, query, checks, series, cluster);
                c.routes.post("/api/v1/cluster/summaries", data::summaries);
                c.routes.post("/api/v1/cluster/checks", data::checks);
                c.routes.post("/api/v1/cluster/series", data::series);
            }
            c.routes.post("/api/v1/ingest", ingest::ingest);
            c.routes.get("/api/v1/processes", processes::list);
            c.routes.get("/api/v1/flamegraph", profiles::flamegraph);
            c.routes.get("/api/v1/heatmap", heatmaps::heatmap);
            c.routes.get("/api/v1/diff", profiles::diff);
            c.routes.get("/api/v1/export/collapsed", profiles::collapsed);
            c.routes.get("/api/v1/export/speedscope", profiles::speedscope);
            c.routes.get("/api/v1/export/jfr", profiles::jfr);
            c.routes.get("/api/v1/series", series::series);
            c.routes.get("/api/v1/locks", locks::locks);
            c.routes.get("/api/v1/rules", rules::rules);
            c.routes.get("/api/v1/checks", checks::checks);
            c.routes.post("/api/v1/uploads", uploads::upload);
            c.routes.get("/api/v1/runs", runsApi::list);
            c.routes.post("/api/v1/runs", runsApi::add);
            c.routes.get("/metrics", metrics::metrics);
            c.routes.post("/mcp", mcp::post);
            c.routes.get("/mcp", mcp::get);
            c.routes.get("/api/v1", ctx -> Replies.json(ctx, Map.of("endpoints", ENDPOINTS, "docs", "docs/api.md")));
            c.routes.exception(ApiException.class, (e, ctx) -> {
                if (e.retryAfterSeconds > 0) {
                    ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds));
                }
                answerThenDrain(ctx, e, e.status == 413 ? LINGER_BYTES : config.maxUpload);
            });
            c.routes.exception(Exception.class, (e, ctx) -> {
                log.accept("internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
                Replies.error(ctx, 500, "internal error", String.valueOf(e));
            });
            c.routes.error(404, ctx -> {
                String type = ctx.res().getContentType();
                if (type == null || !type.startsWith("application/json")) {
                    Replies.error(ctx, 404, "not found", "no such path: " + ctx.path() + " (GET /api/v1 lists the endpoints)");
                }
            });
            c.routes.error(405, ctx -> Replies.error(ctx, 405, "method not allowed",
                    ctx.method() + " is not allowed on " + ctx.path()));
        });
        if (config.tls != null) {
            app.start();
        } else {
            app.start(config.host, config.port);
        }
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mpdiag-housekeeping");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(this::applyRetention, 0, 60, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(() -> store.flushMeta(log), META_FLUSH_SECONDS, META_FLUSH_SECONDS,
                TimeUnit.SECONDS);
    }

    /** How much more of a body refused with 413 is read and dropped after the answer (see answerThenDrain). */
    static final long LINGER_BYTES = 16 << 20;

    /**
     * Every refusal is answered at once (a 413 from the headers when Content-Length is over the cap), so a client
     * that waits for the answer before sending the rest (the agent; curl with Expect: 100-continue) is not made to
     * send what is refused. Then what is left of the body, up to limit, is read and dropped: closing a connection
     * with unread bytes resets it, and the reset can reach a client that is still sending before it has read the
     * answer (the JDK's HttpClient then reports "header parser received no bytes": 27 of 300 refused uploads did
     * in a loop like CollectorApiTest's). For a 413 the limit is LINGER_BYTES, past which the connection is cut,
     * so a sender cannot hold a request thread for as long as it likes with a huge body.
     */
    private static void answerThenDrain(io.javalin.http.Context ctx, ApiException e, long limit) {
        byte[] body = Replies.errorBody(e.error, e.getMessage());
        ctx.status(e.status).contentType("application/json");
        ctx.res().setContentLength(body.length);
        try {
            ctx.res().getOutputStream().write(body);
            ctx.res().flushBuffer();
        } catch (IOException gone) {
            return;
        }
        if (!"100-continue".equalsIgnoreCase(ctx.header("Expect"))) {
            drainBody(ctx, limit);
        }
    }

    /** Reads and drops what is left of a refused request's body, up to max (see answerThenDrain). */
    private static void drainBody(io.javalin.http.Context ctx, long max) {
        if (ctx.req().getContentLengthLong() == 0 || ctx.method() == io.javalin.http.HandlerType.GET) {
            return;
        }
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] skip = new byte[8192];
            long left = max;
            int n;
            while (left > 0 && (n = in.read(skip, 0, (int) Math.min(skip.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            // already read (a multipart request), or the client went away: nothing to drain
        }
    }

    /**
     * The summary cache's budget: --cache, but at most a third of the heap, so the cache can never be what runs
     * the collector out of memory (uploads in work, queries and the store's index need the rest).
     */
    static long cacheBytes(long asked, long maxHeap, Consumer<String> log) {
        long cap = maxHeap / 3;
        if (asked <= cap) {
            return asked;
        }
        log.accept(String.format(java.util.Locale.ROOT, "--cache %d MB is over a third of the heap (%d MB): caching "
                + "%d MB of summaries (give the JVM more with -Xmx, or ask for less)", asked >> 20, maxHeap >> 20,
                cap >> 20));
        return cap;
    }

    /** The jar's version (its manifest), "dev" when run from classes. */
    static String version() {
        String v = CollectorServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private void applyRetention() {
        try {
            Retention.Pass p = retention.run(System.currentTimeMillis(), log);
            if (p.uploads() > 0) {
                log.accept("retention: removed " + p.uploads() + " uploads (" + p.bytes() + " bytes), "
                        + p.processes() + " processes");
            }
        } catch (RuntimeException e) {
            log.accept("retention failed: " + e);
        }
    }

    public int port() {
        return app.port();
    }

    public Store store() {
        return store;
    }

    @Override
    public void close() {
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        if (app != null) {
            app.stop();
        }
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                log.accept("cluster: leaving the group failed: " + e);
            }
        }
        // After the server stopped taking uploads, so the last health and last-seen times are on disk.
        store.flushMeta(log);
        store.close();
    }
}
