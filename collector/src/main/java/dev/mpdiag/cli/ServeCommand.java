package dev.mpdiag.cli;

import dev.mpdiag.cluster.ClusterOptions;
import dev.mpdiag.server.AccessToken;
import dev.mpdiag.server.CollectorServer;
import dev.mpdiag.server.ServerTls;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `mpdiag serve`: runs the collector until it is stopped (Ctrl-C or SIGTERM). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the collector: agents stream JFR to it, it stores and summarizes every chunk, and",
            "serves the JSON API (docs/api.md), Prometheus /metrics and the dashboard."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "7070", description = "Port to listen on (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to bind (default ${DEFAULT-VALUE}: only this machine can connect).")
    String host;

    @Option(names = "--data", defaultValue = "./mpdiag-data", paramLabel = "DIR",
            description = "Data directory (default ${DEFAULT-VALUE}); a restart rebuilds all state from it.")
    Path data;

    @Option(names = "--max-upload", defaultValue = "64m", paramLabel = "SIZE",
            description = "Largest accepted upload (default ${DEFAULT-VALUE}); larger ones get 413.")
    String maxUpload;

    @Option(names = "--retention", defaultValue = "7d", paramLabel = "AGE",
            description = "Delete data older than this (default ${DEFAULT-VALUE}; s, m, h, d).")
    String retention;

    @Option(names = "--max-bytes", defaultValue = "10g", paramLabel = "SIZE",
            description = "Delete the oldest data past this total (default ${DEFAULT-VALUE}).")
    String maxBytes;

    @Option(names = "--cache", defaultValue = "256m", paramLabel = "SIZE",
            description = "Memory for decoded chunk summaries (default ${DEFAULT-VALUE}).")
    String cache;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = {"Every ingest and API call must send this token (Authorization: Bearer TOKEN; agents:",
                "token=; the dashboard asks once). 8+ characters, e.g. from: openssl rand -hex 24.",
                "Other users of this machine can read it from the process list: --token-file is safer."})
    String token;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Read the token from the first line of FILE (see --token).")
    Path tokenFile;

    @Option(names = "--checks-config", paramLabel = "FILE",
            description = "Check thresholds, one CHECK.KEY=VALUE per line (docs/checks.md lists them).")
    Path checksConfig;

    @Option(names = "--cluster", paramLabel = "kafka=HOST:PORT,...",
            description = {"Join a cluster of collectors through these Kafka brokers (docs/cluster.md): any member",
                "takes any upload, Kafka decides which member stores it, and queries fan out to all."})
    String cluster;

    @Option(names = "--cluster-topic", defaultValue = ClusterOptions.DEFAULT_TOPIC, paramLabel = "NAME",
            description = "The uploads topic (default ${DEFAULT-VALUE}); made on first start.")
    String clusterTopic;

    @Option(names = "--cluster-partitions", defaultValue = "" + ClusterOptions.DEFAULT_PARTITIONS, paramLabel = "N",
            description = "Partitions when the topic is made (default ${DEFAULT-VALUE}): the most members that share work.")
    int clusterPartitions;

    @Option(names = "--cluster-group", defaultValue = ClusterOptions.DEFAULT_GROUP, paramLabel = "NAME",
            description = "The Kafka consumer group of the cluster's members (default ${DEFAULT-VALUE}).")
    String clusterGroup;

    @Option(names = "--advertise", paramLabel = "URL",
            description = "The URL the other members reach this one at (default http(s)://HOST:PORT).")
    String advertise;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = {"Serve HTTPS (only) with this PEM certificate chain, the server's own first; needs",
                "--tls-key. Agents trust it with tls.ca=CA.pem, curl with --cacert CA.pem."})
    Path tlsCert;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = {"In a cluster: the CA (PEM) the other members' certificates, and Kafka's with",
                "--cluster-tls, must come from (only it is trusted; default: the JVM's CAs)."})
    Path tlsCa;

    @Option(names = "--cluster-tls", description = "Talk to Kafka over TLS (SSL listeners), trusting --tls-ca.")
    boolean clusterTls;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "The unencrypted PKCS#8 PEM private key of --tls-cert (BEGIN PRIVATE KEY).")
    Path tlsKey;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0 to 65535, got " + port);
        }
        CollectorServer.Config config = new CollectorServer.Config(host, port, data, size("--max-upload", maxUpload),
                duration("--retention", retention), size("--max-bytes", maxBytes), size("--cache", cache),
                ChecksConfig.load(checksConfig, java.util.List.of()), token()).withCluster(clusterOptions()).withTls(tls());
        if (config.maxUpload() > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("--max-upload must be below 2g");
        }
        if (config.token() == null && !loopback(host)) {
            System.err.println("mpdiag: warning: no --token: anyone who can reach " + host + " can send and read data");
        }
        CollectorServer server = CollectorServer.start(config, m -> System.err.println("mpdiag: " + m));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "mpdiag-shutdown"));
        System.err.printf(Locale.ROOT, "mpdiag: collector on %s://%s:%d/ (data %s: %d processes, %.1f MB)%n",
                tlsCert != null ? "https" : "http", host.contains(":") ? "[" + host + "]" : host, server.port(), server.store().root(),
                server.store().all().size(), server.store().totalBytes() / 1e6);
        stopped.await();
        return 0;
    }

    private static boolean loopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }

    /** The --cluster options, or null when serving alone. */
    private ClusterOptions clusterOptions() {
        if (cluster == null) {
            if (tlsCa != null || clusterTls) {
                throw new IllegalArgumentException((clusterTls ? "--cluster-tls" : "--tls-ca") + " is for a cluster "
                        + "member: give --cluster kafka=HOST:PORT too");
            }
            return null;
        }
        String url = advertise;
        if (url == null) {
            if (port == 0) {
                throw new IllegalArgumentException("--cluster needs a fixed --port, or --advertise URL: the other members "
                        + "must know where this one serves");
            }
            if (host.equals("0.0.0.0") || host.equals("::")) {
                throw new IllegalArgumentException("--cluster with --host " + host + " needs --advertise URL: the other "
                        + "members must know an address of this machine they can reach");
            }
            url = (tlsCert != null ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("--advertise must be an http:// or https:// URL, got '" + url + "'");
        }
        if (tlsCa != null && !java.nio.file.Files.isReadable(tlsCa)) {
            throw new IllegalArgumentException("--tls-ca " + tlsCa + ": no such readable file");
        }
        return new ClusterOptions(ClusterOptions.parseBrokers(cluster), clusterTopic, clusterPartitions, clusterGroup,
                url.endsWith("/") ? url.substring(0, url.length() - 1) : url, tlsCa, clusterTls);
    }

    /** The HTTPS identity of --tls-cert and --tls-key, or null when serving plain HTTP. */
    private ServerTls tls() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both, or neither for HTTP");
        }
        return tlsCert == null ? null : ServerTls.load(tlsCert, tlsKey);
    }

    /** The token from --token or --token-file, or null when neither is given. */
    private AccessToken token() throws java.io.IOException {
        if (token != null && tokenFile != null) {
            throw new IllegalArgumentException("give --token or --token-file, not both");
        }
        String t = token;
        if (tokenFile != null) {
            if (!java.nio.file.Files.isReadable(tokenFile)) {
                throw new IllegalArgumentException("--token-file " + tokenFile + ": no such readable file");
            }
            t = java.nio.file.Files.readAllLines(tokenFile).stream().findFirst().orElse("").trim();
        }
        if (t == null) {
            return null;
        }
        try {
            return AccessToken.of(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((tokenFile != null ? "--token-file " + tokenFile : "--token") + ": "
                    + e.getMessage());
        }
    }

    /** "64m", "512k", "10g" or plain bytes. */
    static long size(String option, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("k") || s.endsWith("m") || s.endsWith("g")) {
            unit = switch (s.charAt(s.length() - 1)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                default -> 1L << 30;
            };
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s);
            if (n <= 0 || n > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a positive size such as 64m, 512k or 10g, got '" + v + "'");
        }
    }

    /** "7d", "12h", "30m", "90s". */
    static long duration(String option, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (!s.matches("\\d{1,9}[smhd]")) {
            throw new IllegalArgumentException(option + " takes a duration such as 7d, 12h, 30m or 90s, got '" + v + "'");
        }
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        return n * switch (s.charAt(s.length() - 1)) {
            case 's' -> 1000L;
            case 'm' -> 60_000L;
            case 'h' -> 3_600_000L;
            default -> 86_400_000L;
        };
    }
}
