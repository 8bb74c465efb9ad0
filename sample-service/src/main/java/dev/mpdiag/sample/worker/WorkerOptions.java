package dev.mpdiag.sample.worker;

import dev.mpdiag.sample.control.ControlProtocol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Options of the {@code worker} and {@code serve} commands. */
record WorkerOptions(int index, int port, String host, Path controlDir, List<String> faults, int workers, boolean help) {
    static final String WORKER_USAGE = String.join("\n",
            "Usage: java -jar sample-service.jar worker --port P [options]",
            "  --index I         worker index (default: $MP_WORKER_INDEX, else 0)",
            "  --port P          HTTP port, bound with SO_REUSEPORT so several workers share it (required)",
            "  --host H          address to bind (default 127.0.0.1)",
            "  --control DIR     serve the control protocol on the Unix socket DIR/worker-I.sock",
            "  --faults LIST     comma list of faults to switch on: " + String.join(",", ControlProtocol.FAULTS),
            "  --workers N       how many workers the supervisor runs (informational)",
            "With MP_ROLE=worker the worker exits when its parent process dies, or at once when its parent is not",
            "the supervisor pid in MP_SUPERVISOR_PID (the supervisor died while this JVM was starting).");
    static final String SERVE_USAGE = String.join("\n",
            "Usage: java -jar sample-service.jar serve --port P [options]",
            "  --port P          HTTP port (required)",
            "  --host H          address to bind (default 127.0.0.1)",
            "  --faults LIST     comma list of faults to switch on: " + String.join(",", ControlProtocol.FAULTS));

    /** Parses worker options ({@code worker == true}) or serve options; throws with a one-line message. */
    static WorkerOptions parse(String[] args, boolean worker, Map<String, String> env) {
        int index = worker ? envIndex(env) : 0;
        Integer port = null;
        String host = "127.0.0.1";
        Path control = null;
        List<String> faults = List.of();
        int workers = 1;
        for (int i = 0; i < args.length; i++) {
            String opt = args[i];
            if (opt.equals("--help") || opt.equals("-h")) {
                return new WorkerOptions(index, 0, host, null, List.of(), workers, true);
            }
            boolean known = switch (opt) {
                case "--port", "--host", "--faults" -> true;
                case "--index", "--control", "--workers" -> worker;
                default -> false;
            };
            if (!known) {
                throw new IllegalArgumentException("unknown option '" + opt + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + opt + " needs a value");
            }
            String value = args[++i];
            switch (opt) {
                case "--index" -> index = number(opt, value, 0, 100_000);
                case "--port" -> port = number(opt, value, 0, 65_535);
                case "--host" -> host = nonEmpty(opt, value);
                case "--control" -> control = Path.of(nonEmpty(opt, value));
                case "--faults" -> faults = faults(value);
                case "--workers" -> workers = number(opt, value, 1, 100_000);
                default -> throw new IllegalStateException(opt);
            }
        }
        if (port == null) {
            throw new IllegalArgumentException("--port is required");
        }
        return new WorkerOptions(index, port, host, control, faults, workers, false);
    }

    private static int envIndex(Map<String, String> env) {
        String v = env.get("MP_WORKER_INDEX");
        if (v == null || v.isBlank()) {
            return 0;
        }
        return number("MP_WORKER_INDEX", v.trim(), 0, 100_000);
    }

    static List<String> faults(String list) {
        List<String> names = new ArrayList<>();
        for (String part : list.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!ControlProtocol.FAULTS.contains(name)) {
                throw new IllegalArgumentException("unknown fault '" + name + "' (known: " + String.join(",", ControlProtocol.FAULTS) + ")");
            }
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    private static int number(String opt, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(opt + " needs a whole number from " + min + " to " + max + ", got '" + value + "'");
    }

    private static String nonEmpty(String opt, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("option " + opt + " needs a non-empty value");
        }
        return value;
    }
}
