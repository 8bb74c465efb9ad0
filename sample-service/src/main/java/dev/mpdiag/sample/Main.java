package dev.mpdiag.sample;

import java.util.Arrays;
import java.util.Locale;

/** Command line of the sample service jar. */
public final class Main {
    private static final String USAGE = String.join("\n",
            "Usage: java -jar sample-service.jar <command> [options]",
            "",
            "Commands:",
            "  supervise --workers N --port P ...     N worker JVMs sharing port P (SO_REUSEPORT), restarted when they die",
            "  worker --index I --port P ...          one worker (started by the supervisor)",
            "  serve --port P                         one JVM using all cores: the plain Java baseline",
            "  bench ...                              load driver and the founding benchmark (bench --help)",
            "  workload [--seconds N] [--threads N]   run an in-process order-processing workload (CPU, a shared lock,",
            "                                         allocation) for N seconds; record it with -XX:StartFlightRecording",
            "  --help                                 this text; <command> --help for each command",
            "",
            "Defaults: --seconds 20, --threads 4.");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        String[] rest0 = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "supervise" -> {
                dev.mpdiag.sample.supervisor.SupervisorMain.main(rest0);
                return;
            }
            case "worker" -> {
                dev.mpdiag.sample.worker.WorkerMain.main(rest0);
                return;
            }
            case "serve" -> {
                dev.mpdiag.sample.worker.ServeMain.main(rest0);
                return;
            }
            case "bench" -> {
                dev.mpdiag.sample.load.BenchMain.main(rest0);
                return;
            }
            case "workload" -> {
                // handled below
            }
            default -> {
                System.err.println("sample-service: unknown command '" + args[0] + "'\n" + USAGE);
                System.exit(2);
            }
        }
        int seconds = 20;
        int threads = 4;
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        for (int i = 0; i < rest.length; i++) {
            String opt = rest[i];
            if (i + 1 >= rest.length) {
                fail("option " + opt + " needs a value");
            }
            String value = rest[++i];
            switch (opt) {
                case "--seconds" -> seconds = positive(opt, value);
                case "--threads" -> threads = positive(opt, value);
                default -> fail("unknown option " + opt);
            }
        }
        System.out.printf(Locale.ROOT, "sample-service: running the order workload for %d s on %d threads%n", seconds, threads);
        OrderWorkload.Result r = new OrderWorkload(threads).run(seconds * 1000L);
        System.out.printf(Locale.ROOT, "sample-service: %d orders, %.0f orders/s%n", r.orders(), r.orders() * 1000.0 / r.millis());
    }

    private static int positive(String opt, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        fail(opt + " needs a positive whole number, got '" + value + "'");
        return 0;
    }

    private static void fail(String message) {
        System.err.println("sample-service: " + message + "\n" + USAGE);
        System.exit(2);
    }
}
