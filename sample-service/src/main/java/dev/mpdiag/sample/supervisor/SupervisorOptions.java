package dev.mpdiag.sample.supervisor;

import dev.mpdiag.sample.control.ControlProtocol;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The options of {@code supervise}, parsed and checked; {@link #parse} throws {@link BadOption} on bad input. */
final class SupervisorOptions {
    static final String USAGE = String.join("\n",
            "Usage: java -jar sample-service.jar supervise --port P [options]",
            "",
            "Starts N worker JVMs of this jar that share port P (SO_REUSEPORT), restarts a worker that dies",
            "(backoff 0.5 s doubling to 10 s; gives up on a worker restarted more than 5 times in 60 s), and",
            "serves GET /supervisor/status and POST /supervisor/faults/{name}?on=true|false[&worker=i] on",
            "127.0.0.1:<admin port>. SIGTERM or SIGINT drains and stops every worker, kills what is left after",
            "--stop-timeout and reaps them all; after SIGTERM the exit code is 143 (128 + 15). Exits 1 when every",
            "worker is in a crash loop, 2 on a bad option. A worker whose supervisor is killed exits by itself.",
            "",
            "Options:",
            "  --port P               the shared HTTP port of the workers (required)",
            "  --workers N            number of worker JVMs (default: number of cores, here " + defaultWorkers() + ")",
            "  --host H               address the workers bind (default 127.0.0.1)",
            "  --admin-port A         the supervisor's admin port on 127.0.0.1 (default P+1)",
            "  --pin                  pin worker i to core i mod ncpu with taskset",
            "  --agent JAR            start each worker with -javaagent:JAR=OPTS,label.index=i",
            "  --agent-options OPTS   the agent's options (comma-separated k=v)",
            "  --faults LIST          comma-separated planted faults on from the start: " + String.join(", ", ControlProtocol.FAULTS),
            "  --jvm-opts \"...\"       extra JVM options of each worker, split at whitespace",
            "  --stop-timeout T       how long stopping waits for workers before killing them: 10s, 500ms (default 10s)",
            "  --help                 this text");

    /** A command-line error: the message is one line naming the option. */
    static final class BadOption extends Exception {
        private static final long serialVersionUID = 1L;

        BadOption(String message) {
            super(message);
        }
    }

    final int workers;
    final int port;
    final String host;
    final int adminPort;
    final boolean pin;
    final Path agentJar;
    final String agentOptions;
    final List<String> faults;
    final List<String> jvmOpts;
    final Duration stopTimeout;
    final boolean help;

    private SupervisorOptions(int workers, int port, String host, int adminPort, boolean pin, Path agentJar,
                              String agentOptions, List<String> faults, List<String> jvmOpts, Duration stopTimeout,
                              boolean help) {
        this.workers = workers;
        this.port = port;
        this.host = host;
        this.adminPort = adminPort;
        this.pin = pin;
        this.agentJar = agentJar;
        this.agentOptions = agentOptions;
        this.faults = faults;
        this.jvmOpts = jvmOpts;
        this.stopTimeout = stopTimeout;
        this.help = help;
    }

    static int defaultWorkers() {
        return Runtime.getRuntime().availableProcessors();
    }

    static SupervisorOptions parse(String[] args) throws BadOption {
        int workers = defaultWorkers();
        int port = -1;
        String host = "127.0.0.1";
        int adminPort = -1;
        boolean pin = false;
        Path agentJar = null;
        String agentOptions = "";
        List<String> faults = List.of();
        List<String> jvmOpts = List.of();
        Duration stopTimeout = Duration.ofSeconds(10);
        for (int i = 0; i < args.length; i++) {
            String opt = args[i];
            String inline = null;
            int eq = opt.indexOf('=');
            if (opt.startsWith("--") && eq > 0) {
                inline = opt.substring(eq + 1);
                opt = opt.substring(0, eq);
            }
            switch (opt) {
                case "--help", "-h" -> {
                    return new SupervisorOptions(workers, port, host, adminPort, pin, agentJar, agentOptions, faults,
                            jvmOpts, stopTimeout, true);
                }
                case "--pin" -> {
                    if (inline != null) {
                        throw new BadOption("--pin takes no value");
                    }
                    pin = true;
                }
                default -> {
                    String value;
                    if (inline != null) {
                        value = inline;
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new BadOption(isKnown(opt) ? "option " + opt + " needs a value" : "unknown option " + opt);
                    }
                    switch (opt) {
                        case "--workers" -> workers = number(opt, value, 1, 1024);
                        case "--port" -> port = number(opt, value, 1, 65535);
                        case "--admin-port" -> adminPort = number(opt, value, 1, 65535);
                        case "--host" -> host = nonBlank(opt, value);
                        case "--agent" -> agentJar = agentJar(value);
                        case "--agent-options" -> agentOptions = value.trim();
                        case "--faults" -> faults = faults(value);
                        case "--jvm-opts" -> jvmOpts = splitWhitespace(value);
                        case "--stop-timeout" -> stopTimeout = duration(opt, value);
                        default -> throw new BadOption("unknown option " + opt);
                    }
                }
            }
        }
        if (port < 0) {
            throw new BadOption("--port is required");
        }
        if (adminPort < 0) {
            if (port == 65535) {
                throw new BadOption("--port 65535 leaves no default admin port; give --admin-port");
            }
            adminPort = port + 1;
        }
        if (adminPort == port) {
            throw new BadOption("--admin-port must differ from --port (" + port + ")");
        }
        return new SupervisorOptions(workers, port, host, adminPort, pin, agentJar, agentOptions, faults, jvmOpts,
                stopTimeout, false);
    }

    private static boolean isKnown(String opt) {
        return List.of("--workers", "--port", "--admin-port", "--host", "--agent", "--agent-options", "--faults",
                "--jvm-opts", "--stop-timeout").contains(opt);
    }

    private static int number(String opt, String value, int min, int max) throws BadOption {
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadOption(opt + " needs a whole number from " + min + " to " + max + ", got '" + value + "'");
    }

    private static String nonBlank(String opt, String value) throws BadOption {
        if (value.isBlank()) {
            throw new BadOption(opt + " needs a value");
        }
        return value.trim();
    }

    private static Path agentJar(String value) throws BadOption {
        Path jar = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new BadOption("--agent: no such file " + jar);
        }
        return jar;
    }

    /** Comma-separated fault names, each one of {@link ControlProtocol#FAULTS}; duplicates collapse. */
    static List<String> faults(String value) throws BadOption {
        Set<String> names = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!ControlProtocol.FAULTS.contains(name)) {
                throw new BadOption("--faults: unknown fault '" + name + "' (known: "
                        + String.join(", ", ControlProtocol.FAULTS) + ")");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static List<String> splitWhitespace(String value) {
        List<String> parts = new ArrayList<>();
        for (String part : value.trim().split("\\s+")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return List.copyOf(parts);
    }

    /** "10s", "500ms", "2m" or a plain number of seconds. */
    static Duration duration(String opt, String value) throws BadOption {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(v));
            }
            if (!d.isNegative()) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadOption(opt + " needs a duration such as 10s or 500ms, got '" + value + "'");
    }
}
