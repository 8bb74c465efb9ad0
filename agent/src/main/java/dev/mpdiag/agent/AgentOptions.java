package dev.mpdiag.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The agent's options, parsed from MPAGENT_OPTS and then the -javaagent string (which wins), both written
 * {@code key=value,key=value}. A bad option never stops the agent: it falls back to its default with one
 * warning line naming it.
 */
final class AgentOptions {

    static final String DEFAULT_COLLECTOR = "http://127.0.0.1:7070";
    /** collector=none: no recording and no streaming, only the mpdiag.ProcessResources event for recordings of your own. */
    static final String NO_COLLECTOR = "none";
    static final String DEFAULT_PROFILE = "default";
    static final List<String> BUILT_IN_PROFILES = List.of("default", "contention", "alloc", "leak", "cpu-dense");
    static final long DEFAULT_INTERVAL_MILLIS = 5_000;
    static final long MIN_INTERVAL_MILLIS = 1_000;
    static final long DEFAULT_SPOOL_MEMORY = 16L << 20;
    static final long DEFAULT_SPOOL_DISK = 256L << 20;
    static final long MIN_SPOOL_BYTES = 1024;
    static final long DEFAULT_EXIT_TIMEOUT_MILLIS = 2_000;
    static final long DEFAULT_HTTP_TIMEOUT_MILLIS = 10_000;
    static final long DEFAULT_MAX_SIZE = 64L << 20;
    static final long MIN_MAX_SIZE = 1L << 20;
    // The repository must keep a chunk until the next cut has copied it; six intervals leave room for a
    // slow cut or two, and 30 s keeps short intervals from trimming too eagerly.
    static final int MAX_AGE_INTERVALS = 6;
    static final long MIN_MAX_AGE_MILLIS = 30_000;
    static final String LABEL_PREFIX = "label.";
    static final String PROFILER_JFR = "jfr";
    static final String PROFILER_ASYNC = "async";
    static final String PROFILER_AUTO = "auto";
    static final List<String> PROFILERS = List.of(PROFILER_JFR, PROFILER_ASYNC, PROFILER_AUTO);
    static final List<String> ASYNC_EVENTS = List.of("cpu", "itimer", "wall");
    static final long DEFAULT_ASYNC_INTERVAL_MILLIS = 10;
    // Wall-clock sampling visits sleeping threads too; async-profiler's own default for it is 50 ms.
    static final long DEFAULT_ASYNC_WALL_INTERVAL_MILLIS = 50;
    // Warnings quote what the user wrote; a pasted blob must not turn one line into a screenful.
    private static final int MAX_QUOTED = 80;

    /** One documented option: what --help prints, in this order. */
    record Option(String key, String defaultText, String description) {
    }

    static final List<Option> OPTIONS = List.of(
            new Option("collector", DEFAULT_COLLECTOR,
                    "base URL of the mpdiag collector; uploads go to <collector>/api/v1/ingest; none: do not record or"
                            + " stream, only add mpdiag.ProcessResources to recordings of your own"),
            new Option("service", "main class or jar name, else java",
                    "service name; the processes of one service are compared with each other"),
            new Option("profile", DEFAULT_PROFILE,
                    "JFR settings: " + String.join("|", BUILT_IN_PROFILES) + " (bundled) or a .jfc file's path"),
            new Option("interval", Units.formatMillis(DEFAULT_INTERVAL_MILLIS),
                    "time between cuts, at least 1s; each cut closes a JFR chunk, so keep it at 5s or more"),
            new Option("label.K=V", "none",
                    "a label K=V on this process, any number of them (label.role=worker,label.index=2)"),
            new Option("spool.memory", Units.formatBytes(DEFAULT_SPOOL_MEMORY),
                    "bytes of uploads held in memory; when full the oldest are dropped and counted;"
                            + " a bigger cut is dropped"),
            new Option("spool.dir", "none",
                    "directory for uploads that do not fit in memory (one file per upload, named by seq)"),
            new Option("spool.disk", Units.formatBytes(DEFAULT_SPOOL_DISK),
                    "bytes the spool.dir spool may hold"),
            new Option("exit.timeout", Units.formatMillis(DEFAULT_EXIT_TIMEOUT_MILLIS),
                    "at JVM exit, the final cut and upload never delay exit by more than this"),
            new Option("http.timeout", Units.formatMillis(DEFAULT_HTTP_TIMEOUT_MILLIS),
                    "connect and read timeout of one upload"),
            new Option("token", "none",
                    "access token of a collector started with --token (sent as Authorization: Bearer)"),
            new Option("token.file", "none",
                    "read the token from the first line of this file (keeps it off the command line)"),
            new Option("tls.ca", "the JVM's CAs",
                    "PEM file of the CA(s) an https:// collector's certificate must come from (only those are trusted)"),
            new Option("maxage", "max(" + MAX_AGE_INTERVALS + "*interval, " + Units.formatMillis(MIN_MAX_AGE_MILLIS) + ")",
                    "how long the agent's JFR recording keeps chunks on disk (at least 2 intervals)"),
            new Option("maxsize", Units.formatBytes(DEFAULT_MAX_SIZE),
                    "how many bytes the agent's JFR recording keeps on disk (at least "
                            + Units.formatBytes(MIN_MAX_SIZE) + ")"),
            new Option("profiler", PROFILER_JFR,
                    "who samples stacks: jfr; async (async-profiler, bundled; falls back to jfr with one warning"
                            + " where it cannot load); auto (async where it loads, else jfr, quietly). JFR keeps"
                            + " recording GC, heap, threads and the mpdiag events either way"),
            new Option("async.event", "cpu", "async-profiler's sampling: cpu (perf_events), itimer or wall (every"
                    + " thread, running or not; CPU samples then still come from JFR)"),
            new Option("async.interval", Units.formatMillis(DEFAULT_ASYNC_INTERVAL_MILLIS) + " (wall: "
                    + Units.formatMillis(DEFAULT_ASYNC_WALL_INTERVAL_MILLIS) + ")", "async-profiler's sampling interval"),
            new Option("async.alloc", "off", "async-profiler samples allocations every this many bytes (512k)"
                    + " instead of JFR's allocation sampler"),
            new Option("async.lock", "off", "async-profiler records lock waits of at least this long (1ms)"
                    + " instead of JFR's lock events"),
            new Option("debug", "false", "true prints one stderr line per cut and upload"));

    final String collector;

    boolean streams() {
        return !collector.equals(NO_COLLECTOR);
    }
    final String service;
    final String profile;
    final long intervalMillis;
    final Map<String, String> labels;
    final long spoolMemoryBytes;
    final Path spoolDir;
    final long spoolDiskBytes;
    final long exitTimeoutMillis;
    final long httpTimeoutMillis;
    /** The collector's access token, or null. */
    final String token;
    /** The agent's own TLS trust from tls.ca=, or null: the JVM's default. */
    final javax.net.ssl.SSLSocketFactory tlsTrust;
    /** Why tls.ca= could not be used, or null; while set no upload is sent (trusting more than asked is worse). */
    final String tlsProblem;
    final long maxAgeMillis;
    final long maxSizeBytes;
    final boolean debug;
    final String profiler;
    final String asyncEvent;
    final long asyncIntervalMillis;
    /** Bytes between allocation samples, or 0: async-profiler does not sample allocations. */
    final long asyncAllocBytes;
    /** Least lock wait recorded, or -1: async-profiler does not record locks. */
    final long asyncLockMillis;

    private AgentOptions(Builder b) {
        this.collector = b.collector;
        this.service = b.service;
        this.profile = b.profile;
        this.intervalMillis = b.intervalMillis;
        this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
        this.spoolMemoryBytes = b.spoolMemoryBytes;
        this.spoolDir = b.spoolDir;
        this.spoolDiskBytes = b.spoolDiskBytes;
        this.exitTimeoutMillis = b.exitTimeoutMillis;
        this.httpTimeoutMillis = b.httpTimeoutMillis;
        this.token = b.token;
        this.tlsTrust = b.tlsTrust;
        this.tlsProblem = b.tlsProblem;
        this.maxAgeMillis = b.maxAgeMillis > 0 ? b.maxAgeMillis
                : Math.max(MAX_AGE_INTERVALS * b.intervalMillis, MIN_MAX_AGE_MILLIS);
        this.maxSizeBytes = b.maxSizeBytes;
        this.debug = b.debug;
        this.profiler = b.profiler;
        this.asyncEvent = b.asyncEvent;
        this.asyncIntervalMillis = b.asyncIntervalMillis > 0 ? b.asyncIntervalMillis
                : b.asyncEvent.equals("wall") ? DEFAULT_ASYNC_WALL_INTERVAL_MILLIS : DEFAULT_ASYNC_INTERVAL_MILLIS;
        this.asyncAllocBytes = b.asyncAllocBytes;
        this.asyncLockMillis = b.asyncLockMillis;
    }

    boolean wantsAsync() {
        return !profiler.equals(PROFILER_JFR);
    }

    /** All defaults; the service name comes from the sun.java.command property. */
    static AgentOptions defaults() {
        return parse(null, null, message -> { });
    }

    /**
     * Parses {@code envOptions} (MPAGENT_OPTS) and then {@code agentArgs}, so a key in both takes the agent
     * string's value. Never throws; each bad option is reported to {@code warn} once and takes its default.
     */
    static AgentOptions parse(String agentArgs, String envOptions, Consumer<String> warn) {
        Map<String, String> raw = new LinkedHashMap<>();
        split(envOptions, raw, warn);
        split(agentArgs, raw, warn);
        Builder b = new Builder(defaultService(System.getProperty("sun.java.command")));
        String maxAge = null;
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key.equals("maxage")) {
                maxAge = value; // checked against the interval, which may come later
            } else {
                b.set(key, value, warn);
            }
        }
        if (maxAge != null) {
            long millis = Units.parseMillis(maxAge);
            if (millis < 2 * b.intervalMillis) {
                warn.accept(bad("maxage", maxAge, "must be a duration of at least 2 intervals ("
                        + Units.formatMillis(2 * b.intervalMillis) + ")", "max(6*interval, 30s)"));
            } else {
                b.maxAgeMillis = millis;
            }
        }
        return new AgentOptions(b);
    }

    /** Splits {@code key=value,...} into {@code raw}; a later key replaces an earlier one. */
    private static void split(String text, Map<String, String> raw, Consumer<String> warn) {
        if (text == null) {
            return;
        }
        for (String item : text.split(",")) {
            String entry = item.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                warn.accept("option \"" + quote(entry) + "\" is not key=value; ignored");
                continue;
            }
            String key = entry.substring(0, eq).trim();
            raw.remove(key); // so the order of the map is the order of the winning values
            raw.put(key, entry.substring(eq + 1).trim());
        }
    }

    /** The service name a process gets by default: its main class's simple name or its jar's name. */
    static String defaultService(String javaCommand) {
        if (javaCommand == null || javaCommand.isBlank()) {
            return "java";
        }
        String first = javaCommand.trim().split("\\s+")[0];
        String name;
        if (first.endsWith(".jar")) {
            name = Path.of(first).getFileName().toString();
            name = name.substring(0, name.length() - ".jar".length());
        } else {
            name = first.substring(first.lastIndexOf('/') + 1); // module/class
            name = name.substring(name.lastIndexOf('.') + 1);
        }
        // The service is the first part of the collector's service/host/pid/start process id.
        name = name.replaceAll("[^A-Za-z0-9._-]", "-");
        return name.isEmpty() ? "java" : name;
    }

    static String quote(String text) {
        String oneLine = text.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= MAX_QUOTED ? oneLine : oneLine.substring(0, MAX_QUOTED) + "...";
    }

    private static String bad(String key, String value, String why, String fallback) {
        return "option " + quote(key) + "=" + quote(value) + ": " + why + "; using " + fallback;
    }

    /** Mutable defaults that each recognized option overwrites when its value is good. */
    private static final class Builder {
        String collector = DEFAULT_COLLECTOR;
        String service;
        String profile = DEFAULT_PROFILE;
        long intervalMillis = DEFAULT_INTERVAL_MILLIS;
        final Map<String, String> labels = new LinkedHashMap<>();
        long spoolMemoryBytes = DEFAULT_SPOOL_MEMORY;
        Path spoolDir;
        long spoolDiskBytes = DEFAULT_SPOOL_DISK;
        long exitTimeoutMillis = DEFAULT_EXIT_TIMEOUT_MILLIS;
        long httpTimeoutMillis = DEFAULT_HTTP_TIMEOUT_MILLIS;
        String token;
        javax.net.ssl.SSLSocketFactory tlsTrust;
        String tlsProblem;
        long maxAgeMillis = -1;
        long maxSizeBytes = DEFAULT_MAX_SIZE;
        boolean debug;
        String profiler = PROFILER_JFR;
        String asyncEvent = "cpu";
        long asyncIntervalMillis = -1;
        long asyncAllocBytes;
        long asyncLockMillis = -1;

        Builder(String service) {
            this.service = service;
        }

        void set(String key, String value, Consumer<String> warn) {
            switch (key) {
                case "collector" -> {
                    String url = value.equals(NO_COLLECTOR) ? NO_COLLECTOR : collectorUrl(value);
                    if (url == null) {
                        warn.accept(bad(key, value, "not an http(s)://host:port URL", DEFAULT_COLLECTOR));
                    } else {
                        collector = url;
                    }
                }
                case "service" -> {
                    // Printable ASCII: it travels in an HTTP header and is the first part of the process id.
                    if (!value.matches("[\\x20-\\x7E&&[^/]]{1,80}")) {
                        warn.accept(bad(key, value, "must be 1 to 80 printable ASCII characters, no '/'", service));
                    } else {
                        service = value;
                    }
                }
                case "profile" -> setProfile(value, warn);
                case "interval" -> {
                    long millis = Units.parseMillis(value);
                    if (millis < MIN_INTERVAL_MILLIS) {
                        warn.accept(bad(key, value, millis < 0 ? "not a duration like 5s, 500ms or 1m"
                                : "below the 1s minimum", Units.formatMillis(DEFAULT_INTERVAL_MILLIS)));
                    } else {
                        intervalMillis = millis;
                    }
                }
                case "spool.memory" -> spoolMemoryBytes = size(key, value, MIN_SPOOL_BYTES, DEFAULT_SPOOL_MEMORY, warn);
                case "spool.disk" -> spoolDiskBytes = size(key, value, MIN_SPOOL_BYTES, DEFAULT_SPOOL_DISK, warn);
                case "maxsize" -> maxSizeBytes = size(key, value, MIN_MAX_SIZE, DEFAULT_MAX_SIZE, warn);
                case "spool.dir" -> {
                    Path dir = value.isEmpty() ? null : pathOrNull(value);
                    if (dir == null || (Files.exists(dir) && !Files.isDirectory(dir))) {
                        warn.accept(bad(key, value, "not a directory", "no disk spool"));
                    } else {
                        spoolDir = dir;
                    }
                }
                case "exit.timeout" -> exitTimeoutMillis = duration(key, value, 0, DEFAULT_EXIT_TIMEOUT_MILLIS, warn);
                case "http.timeout" -> httpTimeoutMillis = duration(key, value, 1, DEFAULT_HTTP_TIMEOUT_MILLIS, warn);
                case "token" -> setToken(key, value, "the value", warn);
                case "token.file" -> {
                    Path file = pathOrNull(value);
                    String first = null;
                    try {
                        first = file == null ? null : Files.readAllLines(file).stream().findFirst().orElse("").trim();
                    } catch (IOException | RuntimeException e) {
                        warn.accept(bad(key, value, "cannot read it (" + e.getClass().getSimpleName() + ")", "no token"));
                        return;
                    }
                    if (first == null) {
                        warn.accept(bad(key, value, "not a file path", "no token"));
                    } else {
                        setToken(key, first, "its first line", warn);
                    }
                }
                case "tls.ca" -> {
                    Path file = pathOrNull(value);
                    try {
                        if (file == null) {
                            throw new IOException("not a file path");
                        }
                        tlsTrust = TlsTrust.fromPem(file);
                        tlsProblem = null;
                    } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
                        tlsProblem = "tls.ca=" + value + " cannot be used (" + AgentLog.describe(e) + ")";
                        warn.accept("option " + tlsProblem + "; no upload is sent until it is fixed");
                    }
                }
                case "debug" -> {
                    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                        debug = Boolean.parseBoolean(value.toLowerCase());
                    } else {
                        warn.accept(bad(key, value, "must be true or false", "false"));
                    }
                }
                case "profiler" -> profiler = oneOf(key, value, PROFILERS, PROFILER_JFR, warn);
                case "async.event" -> asyncEvent = oneOf(key, value, ASYNC_EVENTS, "cpu", warn);
                case "async.interval" -> asyncIntervalMillis = duration(key, value, 1, -1, "the default", warn);
                case "async.alloc" -> asyncAllocBytes = value.equals("off") ? 0 : size(key, value, 1, 0, "off", warn);
                case "async.lock" -> asyncLockMillis = value.equals("off") ? -1 : duration(key, value, 0, -1, "off", warn);
                default -> {
                    if (key.startsWith(LABEL_PREFIX) && key.length() > LABEL_PREFIX.length()) {
                        labels.put(key.substring(LABEL_PREFIX.length()), value);
                    } else {
                        warn.accept("unknown option " + quote(key) + "=" + quote(value)
                                + " ignored (java -jar mpagent.jar --help lists the options)");
                    }
                }
            }
        }

        /** The collector's rule for tokens (AccessToken.FORM); the value itself is never quoted in a warning. */
        private void setToken(String key, String value, String what, Consumer<String> warn) {
            if (value.matches("[A-Za-z0-9._~+/=-]{8,256}")) {
                token = value;
            } else {
                warn.accept("option " + key + ": " + what + " is not a token (8 to 256 characters from A-Z a-z 0-9"
                        + " . _ ~ + / = -); sending none");
            }
        }

        private void setProfile(String value, Consumer<String> warn) {
            if (BUILT_IN_PROFILES.contains(value)) {
                profile = value;
                return;
            }
            boolean looksLikePath = value.endsWith(".jfc") || value.contains("/") || value.contains("\\");
            Path path = looksLikePath ? pathOrNull(value) : null;
            if (path != null && Files.isRegularFile(path) && Files.isReadable(path)) {
                profile = value;
            } else if (looksLikePath) {
                warn.accept(bad("profile", value, "no readable .jfc file there", DEFAULT_PROFILE));
            } else {
                warn.accept(bad("profile", value, "not one of " + String.join(", ", BUILT_IN_PROFILES)
                        + " or a .jfc path", DEFAULT_PROFILE));
            }
        }

        private static String oneOf(String key, String value, List<String> allowed, String fallback,
                Consumer<String> warn) {
            if (allowed.contains(value)) {
                return value;
            }
            warn.accept(bad(key, value, "not one of " + String.join(", ", allowed), fallback));
            return fallback;
        }

        private static long size(String key, String value, long min, long fallback, Consumer<String> warn) {
            return size(key, value, min, fallback, Units.formatBytes(fallback), warn);
        }

        private static long size(String key, String value, long min, long fallback, String fallbackText,
                Consumer<String> warn) {
            long bytes = Units.parseBytes(value);
            if (bytes < min) {
                warn.accept(bad(key, value, bytes < 0 ? "not a size like 512k, 16m or 1g"
                        : "below the minimum of " + Units.formatBytes(min), fallbackText));
                return fallback;
            }
            return bytes;
        }

        private static long duration(String key, String value, long min, long fallback, Consumer<String> warn) {
            return duration(key, value, min, fallback, Units.formatMillis(fallback), warn);
        }

        private static long duration(String key, String value, long min, long fallback, String fallbackText,
                Consumer<String> warn) {
            long millis = Units.parseMillis(value);
            if (millis < min) {
                warn.accept(bad(key, value, "not a duration like 2s, 500ms or 1m", fallbackText));
                return fallback;
            }
            return millis;
        }

        private static String collectorUrl(String value) {
            try {
                URI uri = new URI(value);
                String scheme = uri.getScheme();
                if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                        || uri.getQuery() != null || uri.getFragment() != null) {
                    return null;
                }
                String url = uri.toString();
                while (url.endsWith("/")) {
                    url = url.substring(0, url.length() - 1);
                }
                return url;
            } catch (Exception e) {
                return null;
            }
        }

        private static Path pathOrNull(String value) {
            try {
                return Path.of(value);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
