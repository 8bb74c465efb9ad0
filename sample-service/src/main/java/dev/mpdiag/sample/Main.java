package dev.mpdiag.sample;

import java.util.Arrays;
import java.util.Locale;

/** Command line of the sample service jar. */
public final class Main {
    private static final String USAGE = String.join("\n",
            "Usage: java -jar sample-service.jar <command> [options]",
            "",
            "Commands:",
            "  workload [--seconds N] [--threads N]   run an in-process order-processing workload (CPU, a shared lock,",
            "                                         allocation) for N seconds; record it with -XX:StartFlightRecording",
            "  --help                                 this text",
            "",
            "Defaults: --seconds 20, --threads 4.");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        if (!args[0].equals("workload")) {
            System.err.println("sample-service: unknown command '" + args[0] + "'\n" + USAGE);
            System.exit(2);
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
